/** What every writer needs besides the result. */
export interface ReportContext {
  tool: { name: string; version: string };
  atlasVersion?: string;
  /** Report time (also the SBOM timestamp). */
  now: Date;
}
