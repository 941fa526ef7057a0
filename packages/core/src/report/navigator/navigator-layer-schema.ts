import { z } from 'zod';

// The ATT&CK / ATLAS Navigator layer format (layer format 4.5, the fields the ATLAS Navigator reads),
// strict so that a typo in what we emit fails the tests instead of being ignored by the Navigator.

const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/);
const metadataSchema = z.array(
  z.union([
    // the Navigator drops an entry whose name or value is empty (Metadata.valid())
    z.strictObject({ name: z.string().min(1), value: z.string().min(1) }),
    z.strictObject({ divider: z.literal(true) }),
  ]),
);
const linksSchema = z.array(
  z.union([
    z.strictObject({ label: z.string().min(1), url: z.string().regex(/^[a-z][a-z0-9+.-]*:\/\//) }),
    z.strictObject({ divider: z.literal(true) }),
  ]),
);

export const navigatorTechniqueSchema = z.strictObject({
  techniqueID: z.string().regex(/^AML\.T\d{4}(\.\d{3})?$/),
  tactic: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
    .optional(),
  score: z.number().optional(),
  color: hexColor.optional(),
  comment: z.string().optional(),
  enabled: z.boolean().optional(),
  metadata: metadataSchema.optional(),
  links: linksSchema.optional(),
  showSubtechniques: z.boolean().optional(),
});
export type NavigatorTechnique = z.infer<typeof navigatorTechniqueSchema>;

export const navigatorLayerSchema = z.strictObject({
  name: z.string().min(1),
  // `attack` is deliberately absent: the Navigator derives the domain key from it (research notes §8.4).
  versions: z.strictObject({ layer: z.string().regex(/^\d+\.\d+$/), navigator: z.string().optional() }),
  domain: z.string().min(1),
  description: z.string().optional(),
  filters: z.strictObject({ platforms: z.array(z.string()) }).optional(),
  sorting: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).optional(),
  layout: z
    .strictObject({
      layout: z.enum(['side', 'flat', 'mini']).optional(),
      aggregateFunction: z.enum(['average', 'min', 'max', 'sum']).optional(),
      showID: z.boolean().optional(),
      showName: z.boolean().optional(),
      showAggregateScores: z.boolean().optional(),
      countUnscored: z.boolean().optional(),
      expandedSubtechniques: z.enum(['none', 'all', 'annotated']).optional(),
    })
    .optional(),
  hideDisabled: z.boolean().optional(),
  techniques: z.array(navigatorTechniqueSchema),
  gradient: z
    .strictObject({ colors: z.array(hexColor).min(2), minValue: z.number(), maxValue: z.number() })
    .refine((g) => g.maxValue > g.minValue, 'gradient maxValue must exceed minValue')
    .optional(),
  legendItems: z.array(z.strictObject({ label: z.string(), color: hexColor })).optional(),
  showTacticRowBackground: z.boolean().optional(),
  tacticRowBackground: hexColor.optional(),
  selectTechniquesAcrossTactics: z.boolean().optional(),
  selectSubtechniquesWithParent: z.boolean().optional(),
  selectVisibleTechniques: z.boolean().optional(),
  metadata: metadataSchema.optional(),
  links: linksSchema.optional(),
});
export type NavigatorLayer = z.infer<typeof navigatorLayerSchema>;

/** A layer file: one layer, or several in one JSON array (multi-layer file, format 4.5). */
export const navigatorLayerFileSchema = z.union([navigatorLayerSchema, z.array(navigatorLayerSchema).min(1)]);
