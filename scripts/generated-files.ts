/** A file derived from code and checked in; `render` returns its exact content. */
export interface GeneratedFile {
  path: string;
  render: () => string | Promise<string>;
}

export const GENERATED_FILES: GeneratedFile[] = [
  {
    path: 'schemas/system-model.schema.json',
    render: async () => {
      const { systemModelJsonSchema } = await import('@atlasguard/core');
      return `${JSON.stringify(systemModelJsonSchema(), null, 2)}\n`;
    },
  },
  {
    path: 'schemas/assessment.schema.json',
    render: async () => {
      const { assessmentJsonSchema } = await import('@atlasguard/core');
      return `${JSON.stringify(assessmentJsonSchema(), null, 2)}\n`;
    },
  },
  {
    path: 'packages/server/openapi.json',
    render: async () => {
      const { renderOpenApiDocument } = await import('@atlasguard/server');
      return renderOpenApiDocument();
    },
  },
];
