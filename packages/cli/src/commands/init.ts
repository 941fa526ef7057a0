import type { RegisterCommand } from '../program.js';

export interface InitFlags {
  id?: string;
  name?: string;
  sector?: string;
  criticality?: string;
  task?: string;
  provenance?: string;
  access?: string;
  dataClasses?: string;
  force?: boolean;
  yes?: boolean;
}

/** `atlasguard init [FILE]`: a commented starter model (prompts on a TTY, flags otherwise). */
export const registerInit: RegisterCommand = (program, ctx) => {
  program
    .command('init')
    .description('write a commented starter system model (asks on a terminal; use flags in scripts)')
    .argument('[file]', 'where to write it (- for stdout)', 'atlasguard.yaml')
    .option('--id <id>', 'system id (lower-case, digits, . _ -)')
    .option('--name <name>', 'system name')
    .option(
      '--sector <sector>',
      'finance | healthcare | government | critical-infrastructure | retail | technology | other',
    )
    .option('--criticality <level>', 'critical | high | medium | low')
    .option(
      '--task <task>',
      'model task: classifier | detector | regression | llm | embedding | vision | speech | recommender | …',
    )
    .option('--provenance <p>', 'in-house | fine-tuned-open-weights | public-hub | third-party-api | vendor')
    .option('--access <a>', 'public-api | authenticated-api | partner-api | internal | on-device | none')
    .option('--data-classes <list>', 'comma-separated: pii, phi, pci, credentials, trade-secrets, public')
    .option('--force', 'overwrite an existing file')
    .option('-y, --yes', 'never ask: take flags and defaults even on a terminal')
    .action(async (file, flags) => {
      const { runInit } = await import('./init-run.js');
      await runInit(ctx, file, flags);
    });
};
