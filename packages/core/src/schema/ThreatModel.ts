import { z } from 'zod';
import { actorSchema } from './Actor.js';
import { assetSchema } from './Asset.js';
import { assumptionSchema } from './Assumption.js';
import { attackTreeSchema } from './AttackTree.js';
import { boundarySchema } from './Boundary.js';
import { decisionSchema } from './Decision.js';
import { elementSchema } from './Element.js';
import { flowSchema } from './Flow.js';
import { mitigationSchema } from './Mitigation.js';
import { modelInfoSchema } from './ModelInfo.js';
import { questionSchema } from './Question.js';
import { ruleSchema } from './Rule.js';
import { sessionSchema } from './Session.js';
import { threatSchema } from './Threat.js';
import { viewSchema } from './View.js';

/** The format version this build reads and writes. */
export const FORMAT_VERSION = 1;

/** The list sections of a model, in canonical order. Included files may hold any of them. */
export const SECTIONS = [
  'boundaries',
  'elements',
  'flows',
  'assets',
  'actors',
  'mitigations',
  'threats',
  'decisions',
  'assumptions',
  'questions',
  'sessions',
  'attackTrees',
  'rules',
  'views',
] as const;
export type SectionName = (typeof SECTIONS)[number];

const sections = {
  boundaries: z.array(boundarySchema).optional().describe('Trust boundaries.'),
  elements: z.array(elementSchema).optional().describe('Processes, data stores and external entities.'),
  flows: z.array(flowSchema).optional().describe('Data flows between elements.'),
  assets: z.array(assetSchema).optional().describe('Assets worth protecting.'),
  actors: z.array(actorSchema).optional().describe('Threat actors.'),
  mitigations: z.array(mitigationSchema).optional().describe('Mitigations.'),
  threats: z.array(threatSchema).optional().describe('Threats written by hand.'),
  decisions: z.array(decisionSchema).optional().describe('Decisions on threats, by threat id.'),
  assumptions: z.array(assumptionSchema).optional().describe('Assumptions.'),
  questions: z.array(questionSchema).optional().describe('Open questions.'),
  sessions: z.array(sessionSchema).optional().describe('Threat modeling sessions.'),
  attackTrees: z.array(attackTreeSchema).optional().describe('Attack trees.'),
  rules: z.array(ruleSchema).optional().describe('Rules the model adds, overrides or disables.'),
  views: z.array(viewSchema).optional().describe('Diagrams of the model.'),
};

const includeSchema = z
  .array(z.string().min(1).max(1_000))
  .optional()
  .describe('Other files whose sections are added to this one, relative to this file.');

/** A whole threat model file, format version 1. */
export const threatModelSchema = z
  .strictObject({
    parapet: z.literal(FORMAT_VERSION).describe('Format version; must be 1.'),
    model: modelInfoSchema,
    include: includeSchema,
    ...sections,
  })
  .describe('A Parapet threat model.');

/** A file named by another's `include:`: the same sections, without `model`. */
export const threatModelPartSchema = z
  .strictObject({
    parapet: z.literal(FORMAT_VERSION).optional().describe('Format version; 1 when given.'),
    include: includeSchema,
    ...sections,
  })
  .describe('A part of a Parapet threat model, included by another file.');

export type ThreatModelInput = z.input<typeof threatModelSchema>;
/** A loaded model: the root file with every included file's sections merged in. */
export type ThreatModel = z.infer<typeof threatModelSchema>;
