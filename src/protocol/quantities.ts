// Sizes and durations as naught writes them for people: in the event lines and notices
// (`512 MB`, `1.5 h`), and in the status table, where columns align (`42.6 MB`, `3m 05s`);
// shares (`48%`) the same in both.

/** `512 MB`, `1.5 GB`: sizes in the words of the event lines. */
export function sizeText(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : Number(value.toFixed(1))} ${units[unit]}`;
}

/** `45 s`, `6 h`: durations in the words of the event lines. */
export function durationText(ms: number): string {
  const steps: Array<[number, string]> = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1000, 's'],
  ];
  for (const [size, unit] of steps) if (ms >= size) return `${Number((ms / size).toFixed(1))} ${unit}`;
  return `${ms} ms`;
}

/** `42 s`, `3m 05s`, `2h 03m`, `4d 07h`: how long, as the status table aligns it. */
export function clockText(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${two(seconds % 60)}s`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ${two(Math.floor(seconds / 60) % 60)}m`;
  return `${Math.floor(seconds / 86_400)}d ${two(Math.floor(seconds / 3600) % 24)}h`;
}

/** `42.6 MB`, or `–` where it could not be read: memory, as the status table aligns it. */
export function megabytesText(bytes: number | null): string {
  return bytes === null ? '–' : `${(bytes / 2 ** 20).toFixed(1)} MB`;
}

/** `48%`, `0.0%`, `3.5%`: a share of 0–1, as precise as it needs to be read. */
export function percentText(share: number): string {
  const percent = share * 100;
  return percent >= 10 ? `${Math.round(percent)}%` : `${percent.toFixed(1)}%`;
}
