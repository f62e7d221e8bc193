import {
  NEXT,
  REASON_REQUIRED,
  addressOf,
  canMove,
  dayBounds,
  daysFromMinutes,
  excerpt,
  isRealDay,
  medianByCounting,
  medianOf,
  minutesBetween,
  replyError,
  statusAfterReply,
  suggestionId,
  transitionError,
} from '../../src/features/suggestions/suggestions.rules';
import { Status, SubmitInput, suggestionsContract } from '../../src/features/suggestions/suggestions.schema';

const ALL = Status.options;

describe('state machine', () => {
  // from → to → allowed; every pair is listed so a change to the table shows up here.
  const table: [Status, Status, boolean][] = [
    ['received', 'received', false], ['received', 'under_review', true], ['received', 'replied', true],
    ['received', 'adopted', true], ['received', 'closed', true], ['received', 'duplicate', true],
    ['under_review', 'received', false], ['under_review', 'under_review', false], ['under_review', 'replied', true],
    ['under_review', 'adopted', true], ['under_review', 'closed', true], ['under_review', 'duplicate', true],
    ['replied', 'received', false], ['replied', 'under_review', true], ['replied', 'replied', true],
    ['replied', 'adopted', true], ['replied', 'closed', true], ['replied', 'duplicate', false],
    ['adopted', 'received', false], ['adopted', 'under_review', false], ['adopted', 'replied', false],
    ['adopted', 'adopted', false], ['adopted', 'closed', false], ['adopted', 'duplicate', false],
    ['closed', 'received', false], ['closed', 'under_review', true], ['closed', 'replied', false],
    ['closed', 'adopted', false], ['closed', 'closed', false], ['closed', 'duplicate', false],
    ['duplicate', 'received', false], ['duplicate', 'under_review', true], ['duplicate', 'replied', false],
    ['duplicate', 'adopted', false], ['duplicate', 'closed', false], ['duplicate', 'duplicate', false],
  ];

  it('covers every pair of statuses', () => {
    expect(table).toHaveLength(ALL.length * ALL.length);
  });

  it.each(table)('%s → %s allowed: %s', (from, to, allowed) => {
    expect(canMove(from, to)).toBe(allowed);
    const err = transitionError(from, to);
    if (allowed) expect(err).toBeNull();
    else expect(err).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('nothing ever goes back to received', () => {
    for (const from of ALL) expect(NEXT[from]).not.toContain('received');
  });

  it.each([
    ['received', 'replied'],
    ['under_review', 'replied'],
    ['replied', 'replied'],
    ['adopted', 'adopted'],
    ['closed', null],
    ['duplicate', null],
  ] as [Status, Status | null][])('a reply on %s leaves it %s', (from, after) => {
    expect(statusAfterReply(from)).toBe(after);
    expect(replyError(from) === null).toBe(after !== null);
  });

  it('the status changes made by hand need a reason; setStatus offers exactly those', () => {
    expect([...REASON_REQUIRED].sort()).toEqual([...suggestionsContract.setStatus.input.shape.status.options].sort());
    const noReason = suggestionsContract.setStatus.input.safeParse({ id: 'x', status: 'closed', reason: ' ' });
    expect(noReason.success).toBe(false);
  });

  it('messages name the statuses in Chinese', () => {
    expect(transitionError('closed', 'adopted')).toBe('“已关闭”的建议不能改为“已纳入需求清单”');
    expect(transitionError('under_review', 'under_review')).toBe('该建议已是“处理中”状态');
    expect(transitionError('adopted', 'closed')).toContain('需求清单');
  });
});

describe('submit input boundaries', () => {
  const base = { requestId: 'req-12345678', communityId: 'comm-peixin', category: '环境卫生' };
  it.each([
    [4, false],
    [5, true],
    [500, true],
    [501, false],
  ])('%i characters → valid %s', (n, ok) => {
    expect(SubmitInput.safeParse({ ...base, text: '路'.repeat(n) }).success).toBe(ok);
  });

  it('trims before counting', () => {
    expect(SubmitInput.safeParse({ ...base, text: '  路灯不亮  ' }).success).toBe(false);
    expect(SubmitInput.safeParse({ ...base, text: '  路灯不亮了  ' }).data?.text).toBe('路灯不亮了');
  });

  it.each([
    [6, true],
    [7, false],
  ])('%i photos → valid %s', (n, ok) => {
    const photos = Array.from({ length: n }, (_, i) => `f${i}`);
    expect(SubmitInput.safeParse({ ...base, text: '楼道堆物太多', photos }).success).toBe(ok);
  });

  it.each([
    ['short', false],
    ['1234567', false],
    ['12345678', true],
    ['a'.repeat(64), true],
    ['a'.repeat(65), false],
    ['has space1', false],
  ])('request id %j → valid %s', (requestId, ok) => {
    expect(SubmitInput.safeParse({ ...base, requestId, text: '楼道堆物太多' }).success).toBe(ok);
  });

  it('rejects an unknown category', () => {
    expect(SubmitInput.safeParse({ ...base, category: '天气', text: '楼道堆物太多' }).success).toBe(false);
  });
});

describe('suggestionId', () => {
  it('is deterministic, safe as an id and independent of the author name', () => {
    const a = suggestionId('m-lixiulan', 'req-12345678');
    expect(a).toBe(suggestionId('m-lixiulan', 'req-12345678'));
    expect(a).toMatch(/^sg[0-9a-f]{32}$/);
    expect(a).not.toContain('lixiulan');
  });

  it('differs by author and by request id, without collisions over many inputs', () => {
    const ids = new Set<string>();
    for (let a = 0; a < 50; a++) for (let r = 0; r < 2000; r++) ids.add(suggestionId(`m-${a}`, `req-${String(r).padStart(8, '0')}`));
    expect(ids.size).toBe(100_000);
    // Shifting characters between author and request id changes the hashed text (request ids have no ':').
    expect(suggestionId('m-1', 'req-12345678')).not.toBe(suggestionId('m-1r', 'eq-12345678'));
  });
});

describe('excerpt and address', () => {
  it.each([
    ['路灯不亮', 40, '路灯不亮'],
    ['一二三四五六', 5, '一二三四…'],
    ['一二三四五', 5, '一二三四五'],
    ['  多个\n\n空白  在这里 ', 40, '多个 空白 在这里'],
    ['😀😀😀😀😀😀', 5, '😀😀😀😀…'],
  ])('excerpt(%j, %i) = %j', (text, max, want) => {
    expect(excerpt(text, max)).toBe(want);
  });

  it('joins building and unit', () => {
    expect(addressOf('3栋', '2单元')).toBe('3栋2单元');
    expect(addressOf('3栋')).toBe('3栋');
    expect(addressOf()).toBeNull();
  });
});

describe('median', () => {
  it.each([
    [[], null],
    [[5], 5],
    [[3, 1], 2],
    [[3, 1, 2], 2],
    [[10, 1, 1, 10], 5.5],
    [[0, 0, 0, 7], 0],
  ])('medianOf(%j) = %j', (values, want) => {
    expect(medianOf(values)).toBe(want);
  });

  it('minutes and days', () => {
    expect(minutesBetween('2025-03-01T00:00:00.000Z', '2025-03-01T00:00:59.999Z')).toBe(0);
    expect(minutesBetween('2025-03-01T00:00:00.000Z', '2025-03-02T12:00:00.000Z')).toBe(2160);
    expect(minutesBetween('2025-03-02T00:00:00.000Z', '2025-03-01T00:00:00.000Z')).toBe(0);
    expect(daysFromMinutes(2160)).toBe(1.5);
    expect(daysFromMinutes(100)).toBe(0.1);
  });

  const byCounting = async (values: number[]) => {
    let calls = 0;
    const sorted = [...values].sort((a, b) => a - b);
    const m = await medianByCounting({
      n: values.length,
      min: sorted[0] ?? 0,
      max: sorted[sorted.length - 1] ?? 0,
      countAtMost: async (v) => {
        calls++;
        return values.filter((x) => x <= v).length;
      },
      nextAbove: async (v) => {
        calls++;
        return sorted.find((x) => x > v)!;
      },
    });
    return { m, calls };
  };

  it.each([[[]], [[7]], [[1, 2]], [[5, 5, 5, 5]], [[0, 1440, 2880]], [[1, 100000]], [[3, 3, 9, 9]], [[2, 2, 2, 8, 8, 8]]])(
    'counting agrees with sorting for %j',
    async (values) => {
      expect((await byCounting(values)).m).toBe(medianOf(values));
    },
  );

  it('counting agrees with sorting on random data, in O(log range) counts', async () => {
    let seed = 42;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let t = 0; t < 200; t++) {
      const n = 1 + Math.floor(rnd() * 60);
      const values = Array.from({ length: n }, () => Math.floor(rnd() * 20000));
      const { m, calls } = await byCounting(values);
      expect(m).toBe(medianOf(values));
      expect(calls).toBeLessThanOrEqual(Math.ceil(Math.log2(20001)) + 1);
    }
  });
});

describe('day bounds (Asia/Shanghai)', () => {
  it('turns inclusive days into UTC bounds', () => {
    expect(dayBounds('2025-03-01', '2025-03-31')).toEqual({ gte: '2025-02-28T16:00:00.000Z', lt: '2025-03-31T16:00:00.000Z' });
    expect(dayBounds('2025-03-01')).toEqual({ gte: '2025-02-28T16:00:00.000Z' });
    expect(dayBounds(undefined, '2025-03-01')).toEqual({ lt: '2025-03-01T16:00:00.000Z' });
    expect(dayBounds('2025-03-01', '2025-03-01')).toEqual({ gte: '2025-02-28T16:00:00.000Z', lt: '2025-03-01T16:00:00.000Z' });
    expect(dayBounds()).toBeUndefined();
  });

  it('rejects unreal days and reversed ranges', () => {
    expect(isRealDay('2024-02-29')).toBe(true);
    expect(isRealDay('2025-02-29')).toBe(false);
    expect(isRealDay('2025-02-30')).toBe(false);
    expect(isRealDay('2025-13-01')).toBe(false);
    expect(() => dayBounds('2025-02-30')).toThrow('开始日期无效');
    expect(() => dayBounds('2025-03-02', '2025-03-01')).toThrow('开始日期不能晚于结束日期');
  });

  it('an instant at 23:59 Shanghai on the last day is inside, 00:00 the next day is not', () => {
    const b = dayBounds('2025-03-01', '2025-03-01')!;
    const inside = '2025-03-01T15:59:59.999Z';
    const outside = '2025-03-01T16:00:00.000Z';
    expect(inside >= b.gte! && inside < b.lt!).toBe(true);
    expect(outside < b.lt!).toBe(false);
  });
});
