import { Command, CommanderError, Option } from 'commander';
import type { CatalogKind } from '@parapet/core';
import { EXPORT_FORMATS, IMPORT_FORMATS, type ExportFormat, type ImportFormat } from '@parapet/interop';
import { runAnalyze } from './commands/analyze.js';
import { parseKind, parseLimit, runCatalog } from './commands/catalog.js';
import { runFmt } from './commands/fmt.js';
import { parseExportFormat, parseImportFormat, runDiscover, runExport, runImport } from './commands/interop.js';
import {
  collect,
  parseByteSize,
  parseDate,
  parseFormat,
  parseLevel,
  type LevelName,
  type OutputFormat,
} from './commands/options.js';
import { runExplain } from './commands/explain.js';
import { runRules } from './commands/rules.js';
import { runSchema } from './commands/schema.js';
import { runValidate } from './commands/validate.js';
import { EXIT, UsageError } from './errors.js';
import type { CliIo } from './io.js';
import { VERSION } from './version.js';

/**
 * Runs the parapet command with `argv` (without node and script) and returns its exit code. The one place
 * where failures become exit codes: 0 success, 1 invalid input, 2 usage error.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('parapet')
    .description('Parapet: threat modeling as code. Validate, format and analyze threat models.')
    .version(VERSION, '-v, --version')
    .showHelpAfterError('(run parapet <command> --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  const formatOption = () =>
    new Option('-f, --format <format>', 'output format: text or json').default('text').argParser(parseFormat);
  const maxBytesOption = () =>
    new Option('--max-bytes <size>', 'largest model file accepted (default 64MiB)').argParser(parseByteSize);

  program
    .command('validate')
    .description('check model files: schema, ids, references, boundaries; exit 0 valid, 1 invalid, 2 usage error')
    .argument('<file...>', 'model files (YAML or JSON)')
    .addOption(formatOption())
    .addOption(maxBytesOption())
    .action((files: string[], opts: { format: OutputFormat; maxBytes?: number }) => {
      exitCode = runValidate(files, { format: opts.format, maxBytes: opts.maxBytes }, io);
    });

  program
    .command('fmt')
    .description('rewrite model files in canonical form (key order, layout), keeping comments')
    .argument('<file...>', 'model files (YAML or JSON)')
    .option('--check', 'write nothing; exit 1 when a file is not in canonical form', false)
    .option('--stdout', 'print the canonical form instead of writing the file', false)
    .action((files: string[], opts: { check: boolean; stdout: boolean }) => {
      exitCode = runFmt(files, opts, io);
    });

  program
    .command('schema')
    .description('print the JSON Schema of the model format (for editors and other tools)')
    .option('-o, --out <file>', 'write it to a file')
    .action((opts: { out?: string }) => {
      exitCode = runSchema(opts, io);
    });

  const rulesOption = () =>
    new Option('--rules <path>', 'rule file or folder of rule files (repeatable)').argParser(collect);
  const todayOption = () =>
    new Option('--today <date>', 'the date acceptances expire against (default: today, UTC)').argParser(parseDate);

  program
    .command('analyze')
    .description('find the threats of a model, grouped by what they threaten; --fail-on makes it a CI gate (exit 3)')
    .argument('<file>', 'model file (YAML or JSON)')
    .addOption(formatOption())
    .addOption(
      new Option('--fail-on <level>', 'exit 3 when an open threat has this severity or higher').argParser(parseLevel),
    )
    .addOption(rulesOption())
    .addOption(todayOption())
    .option('--no-builtin-rules', 'run only the rules of --rules files and of the model')
    .option('--derived', 'also show zones, exposure, boundary crossings and asset locations', false)
    .option('--show-suppressed', 'also list the threats that controls or assumptions rule out', false)
    .addOption(maxBytesOption())
    .action(
      (
        file: string,
        opts: {
          format: OutputFormat;
          failOn?: LevelName;
          rules?: string[];
          today?: string;
          builtinRules: boolean;
          derived: boolean;
          showSuppressed: boolean;
          maxBytes?: number;
        },
      ) => {
        exitCode = runAnalyze(file, opts, io);
      },
    );

  program
    .command('explain')
    .description('show why a threat was found, what would clear it, its references and recommended mitigations')
    .argument('<threat-id>', 'threat id, e.g. api.bola@orders-api')
    .argument('<file>', 'model file (YAML or JSON)')
    .addOption(formatOption())
    .addOption(rulesOption())
    .addOption(todayOption())
    .option('--no-builtin-rules', 'run only the rules of --rules files and of the model')
    .addOption(maxBytesOption())
    .action(
      (
        threat: string,
        file: string,
        opts: { format: OutputFormat; rules?: string[]; today?: string; builtinRules: boolean; maxBytes?: number },
      ) => {
        exitCode = runExplain(threat, file, opts, io);
      },
    );

  program
    .command('rules')
    .description('list the threat rules (built-in and from --rules files), checking the files')
    .argument('[filter]', 'part of a rule id, a category or a subject')
    .addOption(formatOption())
    .addOption(rulesOption())
    .action((filter: string | undefined, opts: { format: OutputFormat; rules?: string[] }) => {
      exitCode = runRules(filter, opts, io);
    });

  program
    .command('import')
    .description("make a Parapet model from other tools' files (format told from the content)")
    .argument('<file...>', 'Threat Dragon, OTM, Threagile, MS TMT (.tm7) or Threat Composer (.tc.json) files')
    .addOption(
      new Option('--from <format>', `the files' format: ${IMPORT_FORMATS.join(', ')}`).argParser(parseImportFormat),
    )
    .requiredOption('-o, --out <file>', 'the model file to write (YAML, or JSON for .json)')
    .option('--force', 'replace the --out file when it exists', false)
    .addOption(formatOption())
    .action((files: string[], opts: { from?: ImportFormat; out: string; force: boolean; format: OutputFormat }) => {
      exitCode = runImport(files, opts, io);
    });

  program
    .command('export')
    .description("write a model in another tool's format (with the threats the rules find)")
    .argument('<file>', 'model file (YAML or JSON)')
    .addOption(
      new Option('--to <format>', `the format: ${EXPORT_FORMATS.join(', ')}`)
        .argParser(parseExportFormat)
        .makeOptionMandatory(),
    )
    .requiredOption('-o, --out <file>', 'the file to write')
    .option('--force', 'replace the --out file when it exists', false)
    .option('--no-generated', 'only the threats written in the model, not those the rules find')
    .addOption(todayOption())
    .addOption(maxBytesOption())
    .action(
      (
        file: string,
        opts: { to: ExportFormat; out: string; force: boolean; generated: boolean; today?: string; maxBytes?: number },
      ) => {
        exitCode = runExport(file, opts, io);
      },
    );

  program
    .command('discover')
    .description(
      'a model skeleton from docker-compose, Kubernetes, Terraform and CloudFormation files; merged into --out when it exists',
    )
    .argument('<path...>', 'files, or folders to search for them')
    .requiredOption('-o, --out <file>', 'the model file to write or merge into (YAML, or JSON for .json)')
    .addOption(
      new Option(
        '--mapping <file>',
        'a mapping file of your own, tried before the built-in ones (repeatable)',
      ).argParser(collect),
    )
    .addOption(formatOption())
    .action(async (paths: string[], opts: { out: string; mapping?: string[]; format: OutputFormat }) => {
      exitCode = await runDiscover(paths, { out: opts.out, mappings: opts.mapping ?? [], format: opts.format }, io);
    });

  program
    .command('catalog')
    .description(
      'search CAPEC, ATT&CK, OWASP ASVS and CWE; an exact id (CAPEC-66, T1190, V6.2.1, CWE-79) shows the entry',
    )
    .argument('<query...>', 'words to look for, or an id')
    .addOption(new Option('--kind <kind>', 'one catalog only: capec, attack, asvs or cwe').argParser(parseKind))
    .addOption(new Option('--limit <count>', 'most results listed').default(20).argParser(parseLimit))
    .addOption(formatOption())
    .action((query: string[], opts: { kind?: CatalogKind; limit: number; format: OutputFormat }) => {
      exitCode = runCatalog(query.join(' '), opts, io);
    });

  for (const command of program.commands) {
    command.exitOverride().configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
    command.showHelpAfterError(`(run parapet ${command.name()} --help for usage)`);
  }

  if (argv.length === 0) {
    io.stdout(program.helpInformation());
    return EXIT.usage;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return EXIT.ok;
      return EXIT.usage;
    }
    if (error instanceof UsageError) {
      io.stderr(`parapet: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  return exitCode;
}
