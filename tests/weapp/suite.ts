/**
 * Shared set-up for the weapp page tests: the simulator over dist/weapp, cloud calls answered from
 * canned data that is checked against the action contracts, pages detached after each test.
 */
import path from 'node:path';
import type { z } from 'zod';
import type { AreaContract } from '../../src/lib/contract';
import { installWeapp, type CloudCall, type CloudResponder, type OpenedPage, type PageMetrics, type WeappEnv } from './simulate-env';

export const WEAPP_DIST = path.resolve(__dirname, '../../dist/weapp');

/** Raw answers by `area.action`; a function gets the call's parsed input. `{ __error }` answers with an error body. */
export type Answers = Record<string, (input: any) => unknown>;

/**
 * A responder that parses each call's input with its contract and each answer with the output schema,
 * so pages are fed only what the real server could send. Missing answers and bad inputs go to `problems`.
 */
export function contractResponder(contracts: Record<string, AreaContract>, answers: Answers, problems: string[], where = 'the test'): CloudResponder {
  return (call: CloudCall) => {
    const action = String(call.data?.action ?? '');
    const key = `${call.name}.${action}`;
    const contract = contracts[call.name]?.[action];
    const make = answers[key];
    if (!contract || !make) {
      problems.push(`${key}: no canned answer (add one to ${where})`);
      return { ok: false, error: { code: 'ACTION.UNKNOWN', message: `测试未准备 ${key} 的数据` } };
    }
    const input = (contract.input as z.ZodType).safeParse(call.data.input ?? {});
    if (!input.success) {
      problems.push(`${key}: the page sent input that breaks the contract: ${input.error.message} (input ${JSON.stringify(call.data.input)})`);
      return { ok: false, error: { code: 'INPUT.INVALID', message: '输入有误' } };
    }
    const out = make(input.data) as { __error?: { code: string; message: string } } | undefined;
    if (out?.__error) return { ok: false, error: out.__error };
    const parsed = (contract.output as z.ZodType).safeParse(out);
    if (!parsed.success) throw new Error(`Canned answer for ${key} breaks its output contract: ${parsed.error.message}`);
    return { ok: true, data: parsed.data };
  };
}

/** WeChat's limits, as pages.test.ts checks them: nothing renders blank, setData and node counts in bounds. */
export function expectWithinLimits(m: PageMetrics): void {
  expect({ page: m.page, missingTemplates: m.missingTemplates }).toEqual({ page: m.page, missingTemplates: [] });
  expect(m.maxSetDataBytes).toBeLessThanOrEqual(256 * 1024);
  expect(m.nodes).toBeLessThan(1000);
}

export interface WeappSuite {
  /** Set in beforeAll. */
  env: WeappEnv;
  /** Opens a page; it is detached (and checked, with `limits`) after the test. */
  open(page: string, query?: Record<string, string>): Promise<OpenedPage>;
}

/** Registers the suite's hooks: install once, fresh canned answers before each test, no cloud problems after it. */
export function useWeapp(opts: { contracts: Record<string, AreaContract>; answers: Answers; where?: string; reset?: (env: WeappEnv) => void; limits?: boolean }): WeappSuite {
  const problems: string[] = [];
  const opened: OpenedPage[] = [];
  const respond = contractResponder(opts.contracts, opts.answers, problems, opts.where);
  const suite: WeappSuite = {
    env: undefined as unknown as WeappEnv,
    async open(page, query = {}) {
      const pg = await suite.env.openPage(page, query);
      opened.push(pg);
      return pg;
    },
  };
  beforeAll(() => {
    suite.env = installWeapp(WEAPP_DIST);
  });
  beforeEach(() => {
    suite.env.responder.current = respond;
    problems.length = 0;
    opts.reset?.(suite.env);
  });
  afterEach(() => {
    for (const pg of opened.splice(0)) {
      pg.detach();
      if (opts.limits) expectWithinLimits(pg.metrics);
    }
    expect(problems).toEqual([]);
  });
  return suite;
}
