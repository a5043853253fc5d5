// docs/options.md, written from the command table as help is (help.ts), so the page
// cannot disagree with what naught accepts: Gunicorn's settings page is made the same
// way. `npm run docs` writes it; test/docs.test.ts fails when it is not up to date.
import type { Command } from './command.js';
import type { OptionSpec } from './options.js';

/** The whole page, in Markdown. */
export function optionsPage(commands: readonly Command[]): string {
  const sections = commands.filter((command) => Object.keys(command.options).length > 0).map(commandSection);
  return [
    '# Options',
    '',
    '<!-- Written by `npm run docs` from src/cli/option-table.ts; edit the table, not this page. -->',
    '',
    'Options are given as `--name value` (or `--name=value`) before the script; everything',
    'after the script reaches it untouched. Relative paths are relative to the directory',
    '`naught start` runs in. `naught help <command>` says the same on the terminal.',
    '',
    ...sections,
  ].join('\n');
}

function commandSection(command: Command): string {
  const rows = Object.entries(command.options).map(([name, spec]) => row(name, spec));
  return [`## naught ${command.name}`, '', `\`naught ${command.name} ${command.usage}\`: ${command.summary.replace(/\.?$/, '.')}`, '', '| option | default | example | meaning |', '| --- | --- | --- | --- |', ...rows, ''].join('\n');
}

function row(name: string, spec: OptionSpec<unknown>): string {
  const shown = spec.shown === undefined ? 'none' : code(spec.shown);
  const example = spec.flag ? code(`--${name}`) : spec.example === undefined ? '' : code(`--${name} ${spec.example}`);
  const see = spec.see === undefined ? '' : ` ([${spec.see.title}](${spec.see.page}))`;
  return `| ${code(`--${name}`)} | ${shown} | ${example} | ${cell(spec.description)}${see} |`;
}

function code(text: string): string {
  return `\`${cell(text)}\``;
}

/** A table cell keeps to its row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
