/** Zod-free: what pages show about the audit log. */
export const BREAK_REASONS = ['altered', 'missing', 'reordered', 'unlinked', 'head'] as const;
export type BreakReasonKey = (typeof BREAK_REASONS)[number];

export const BREAK_LABELS: Record<BreakReasonKey, string> = {
  altered: '记录内容被改动',
  missing: '记录缺失（被删除）',
  reordered: '记录顺序或编号被调换',
  unlinked: '与上一条记录的哈希不符',
  head: '链头与最后一条记录不符',
};
