/**
 * Writes every report file of a run into one directory. records.jsonl lives there too, but is
 * streamed during the run by `createRecordsWriter(join(outDir, REPORT_FILES.records))`.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../../kernel/judge/types.ts';
import { renderHtml, type HtmlOptions } from '../../kernel/render/html.ts';
import { renderJson } from '../../kernel/render/json.ts';
import { renderJunit } from '../../kernel/render/junit.ts';
import { renderMarkdown } from '../../kernel/render/markdown.ts';

/** File names inside the output directory; the CLI and CI docs refer to these. */
export const REPORT_FILES = {
  json: 'report.json',
  markdown: 'summary.md',
  junit: 'junit.xml',
  html: 'report.html',
  records: 'records.jsonl',
} as const;

export type WrittenReports = Record<'json' | 'markdown' | 'junit' | 'html', string>;

export interface WriteReportsOptions {
  /** Passed to `renderHtml` (extra sections...). */
  html?: HtmlOptions;
  /**
   * Also append the Markdown summary to this file: pass `process.env.GITHUB_STEP_SUMMARY` to
   * show it on the GitHub Actions run page. Default: not appended.
   */
  stepSummaryPath?: string;
}

/**
 * Renders report.json, summary.md, junit.xml and report.html into `outDir` (created with its
 * parents) and returns their paths.
 */
export function writeReports(report: Report, outDir: string, options: WriteReportsOptions = {}): WrittenReports {
  mkdirSync(outDir, { recursive: true });
  const markdown = renderMarkdown(report);
  const contents: Record<keyof WrittenReports, string> = {
    json: renderJson(report),
    markdown,
    junit: renderJunit(report),
    html: renderHtml(report, options.html),
  };
  const paths = {} as WrittenReports;
  for (const key of Object.keys(contents) as (keyof WrittenReports)[]) {
    paths[key] = join(outDir, REPORT_FILES[key]);
    writeFileSync(paths[key], contents[key]);
  }
  if (options.stepSummaryPath) appendFileSync(options.stepSummaryPath, `${markdown}\n`);
  return paths;
}
