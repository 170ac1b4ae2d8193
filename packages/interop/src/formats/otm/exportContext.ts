import type { ThreatModel } from '@parapet/core';
import type { Unmapped } from '../../ImportResult.js';
import { OTM_FORMAT } from './otmContext.js';

type Origin = NonNullable<NonNullable<ThreatModel['elements']>[number]['origin']>;

/** What the exporter shares: the OTM ids given out, and what the model holds that OTM cannot. */
export class ExportContext {
  readonly unmapped: Unmapped[] = [];
  readonly #used = new Set<string>();
  readonly #otmIds = new Map<string, string>();

  /** Records Parapet content that OTM cannot hold (`at` is a path in the model). */
  note(at: string, what: string, reason: string): void {
    this.unmapped.push({ at, what, reason });
  }

  /** A free OTM id: the first free of the candidates, else the last one suffixed `-2`, `-3`... */
  unique(...candidates: readonly string[]): string {
    const free = candidates.find((candidate) => !this.#used.has(candidate));
    let id = free ?? candidates[candidates.length - 1] ?? 'item';
    for (let n = 2; free === undefined && this.#used.has(id); n++)
      id = `${candidates[candidates.length - 1] ?? 'item'}-${n}`;
    this.#used.add(id);
    return id;
  }

  /**
   * Gives an item its OTM id: its OTM id of origin when it was imported from OTM (so that an OTM model keeps
   * its ids through Parapet), else its Parapet id.
   */
  assign(id: string, origin: Origin | undefined): string {
    const otmId =
      origin?.format === OTM_FORMAT && origin.ref !== undefined ? this.unique(origin.ref, id) : this.unique(id);
    this.#otmIds.set(id, otmId);
    return otmId;
  }

  /** The OTM id given to a Parapet item. */
  otmId(id: string): string | undefined {
    return this.#otmIds.get(id);
  }

  /** The OTM ids of Parapet items, leaving out those without one. */
  otmIds(ids: readonly string[] | undefined): string[] {
    return (ids ?? []).flatMap((id) => {
      const otmId = this.#otmIds.get(id);
      return otmId === undefined ? [] : [otmId];
    });
  }
}
