import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  analyze,
  compareDiagnostics,
  loadModel,
  parseRuleFile,
  type Analysis,
  type Diagnostic,
  type LoadResult,
  type RuleEntry,
} from '@parapet/core';
import { UsageError } from './errors.js';
import { createFileHost, type CliIo } from './io.js';
import { toLoadOptions } from './commands/options.js';

export interface AnalysisRequest {
  readonly maxBytes?: number | undefined;
  /** Rule files or folders of them (`--rules`). */
  readonly rules?: readonly string[] | undefined;
  /** False to run only the rules of --rules files and of the model (`--no-builtin-rules`). */
  readonly builtinRules?: boolean | undefined;
  /** `YYYY-MM-DD`; today's date (UTC) when absent. */
  readonly today?: string | undefined;
}

export interface LoadedAnalysis {
  readonly result: LoadResult;
  /** Present when the model loaded. */
  readonly analysis?: Analysis;
  /** Load, rule-file and analysis problems together, sorted. */
  readonly diagnostics: readonly Diagnostic[];
  readonly hasErrors: boolean;
}

const RULE_FILE = /\.(ya?ml|json)$/i;

/** Reads every rule file named, a folder meaning the rule files directly in it, in name order. */
export function readRuleFiles(
  paths: readonly string[],
  cwd: string,
): { entries: RuleEntry[]; diagnostics: Diagnostic[] } {
  const entries: RuleEntry[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const path of paths) {
    const full = resolve(cwd, path);
    let files: string[];
    try {
      files = statSync(full).isDirectory()
        ? readdirSync(full)
            .filter((name) => RULE_FILE.test(name))
            .sort()
            .map((name) => join(path, name))
        : [path];
    } catch {
      throw new UsageError(`--rules: no such file or folder: ${path}`);
    }
    for (const file of files) {
      const parsed = parseRuleFile(file, readFileSync(resolve(cwd, file)));
      entries.push(...parsed.entries);
      diagnostics.push(...parsed.diagnostics);
    }
  }
  return { entries, diagnostics };
}

/** Today's date in UTC, `YYYY-MM-DD`. */
export function getToday(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Loads a model, the rule files asked for, and analyzes it. */
export function loadAnalysis(file: string, request: AnalysisRequest, io: CliIo): LoadedAnalysis {
  const result = loadModel(file, createFileHost(io.cwd), toLoadOptions(request.maxBytes));
  const rules = readRuleFiles(request.rules ?? [], io.cwd);
  const { model } = result;
  const analysis =
    model && rules.diagnostics.length === 0
      ? analyze(model, {
          ...(result.enrichment ? { enrichment: result.enrichment } : {}),
          ...(result.index ? { index: result.index } : {}),
          ...(result.locate ? { locate: result.locate } : {}),
          rules: rules.entries,
          builtins: request.builtinRules !== false,
          today: request.today ?? getToday(),
        })
      : undefined;
  const diagnostics = [...result.diagnostics, ...rules.diagnostics, ...(analysis?.diagnostics ?? [])].sort(
    compareDiagnostics,
  );
  return {
    result,
    ...(analysis ? { analysis } : {}),
    diagnostics,
    hasErrors: diagnostics.some((d) => d.severity === 'error') || !model,
  };
}
