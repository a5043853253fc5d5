// The docs lead where they say: docs/options.md is the option table as it is, every
// link reaches a file and a heading that exist, and every naught command line they
// show is one naught accepts (its command, its options, its arguments).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { splitCommandLine } from '../src/cli/argv.js';
import { COMMANDS } from '../src/cli/commands.js';
import { optionsPage } from '../src/cli/options-page.js';

const PAGES = ['README.md', ...readdirSync('docs').map((name) => `docs/${name}`), 'packaging/README.md', 'packaging/ansible/README.md', 'packaging/kubernetes/README.md'];

/** GitHub's anchor of a heading. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-');
}

/** The text outside code blocks, and the lines of the shell blocks (```sh). */
function parts(file: string): { prose: string[]; shell: string[] } {
  const prose: string[] = [];
  const shell: string[] = [];
  let block: string | null = null;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('```')) block = block === null ? line.slice(3).trim() : null;
    else if (block === null) prose.push(line);
    else if (['sh', 'bash', 'shell', 'console'].includes(block)) shell.push(line);
  }
  return { prose, shell };
}

function headings(file: string): Set<string> {
  return new Set(parts(file).prose.flatMap((line) => /^#{1,6} (.*)$/.exec(line)?.slice(1).map(slug) ?? []));
}

/**
 * Every `naught <command> …` in a shell block or a code span, as words. A span may
 * name an option without its value (`naught deploy --max-memory`).
 */
function commandLines(file: string): Array<{ words: string[]; span: boolean }> {
  const { prose, shell } = parts(file);
  const spans = prose.flatMap((line) => [...line.matchAll(/`(naught [^`]+)`/g)].map((match) => ({ line: match[1]!, span: true })));
  const lines = shell.map((line) => ({ line: line.replace(/(^|\s)#.*$/, ''), span: false }));
  return [...spans, ...lines].flatMap(({ line, span }) =>
    line
      .split(/&&|\|\||;|\||>/)
      .map((segment) => /(?:^|\s)naught\s+(.*)$/.exec(segment.trim())?.[1])
      .filter((rest): rest is string => rest !== undefined && /^[a-z-]+(\s|$)/.test(rest) && !/[<[…]|\.\.\./.test(rest))
      .map((rest) => ({ words: [...rest.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((word) => word[1] ?? word[2] ?? word[3]!), span })),
  );
}

describe('the docs', () => {
  test('docs/options.md is the option table as it is now (npm run docs writes it)', () => {
    expect(readFileSync('docs/options.md', 'utf8')).toBe(optionsPage(COMMANDS));
  });

  test('every relative link reaches a file, and its #anchor a heading of that file', () => {
    const broken: string[] = [];
    for (const page of PAGES) {
      for (const [, target] of parts(page).prose.join('\n').matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        const [file, anchor] = target!.split('#') as [string, string | undefined];
        const reached = file === '' ? page : path.join(path.dirname(page), file);
        if (!existsSync(reached)) broken.push(`${page}: ${target} (no such file)`);
        else if (anchor !== undefined && (statSync(reached).isDirectory() || !headings(reached).has(anchor))) broken.push(`${page}: ${target} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });

  test('every naught command line they show names a command, its options and no more arguments than it takes', () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const page of PAGES) {
      for (const { words, span } of commandLines(page)) {
        const [name, ...args] = words;
        const command = COMMANDS.find((each) => each.name === name);
        const options = Object.entries(command?.options ?? {});
        const flags = options.filter(([, spec]) => spec.flag).map(([option]) => option);
        // A span that names an option alone: its value is not the point.
        const last = args.at(-1);
        if (span && last?.startsWith('--') && !flags.includes(last.slice(2))) args.push('value');
        try {
          if (command === undefined) throw new Error(`no command ${name}`);
          splitCommandLine(args, { ...command, options: options.map(([option]) => option), flags });
          checked += 1;
        } catch (error) {
          wrong.push(`${page}: naught ${words.join(' ')}: ${(error as Error).message}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(40);
  });
});
