/** Small pieces shared by the community admin's demand-list and 四议两公开 pages. */
import { View } from '@tarojs/components';
import type { ApiError } from '../../client/api-error';
import { displayMessage } from '../../client/api-error';
import { Button } from '../../components/nut/button';
import { shanghaiDaysAgo } from '../../components/format';

export const param = (v: string | undefined): string => (v ? decodeURIComponent(v) : '');

/** This year in Asia/Shanghai: the list and slate pages show one year. */
export const thisYear = (): number => Number(shanghaiDaysAgo(0).slice(0, 4));

/** Where a demand came from, as the small tags on the list. */
export const KIND_LABELS: Record<string, string> = { suggestion: '建议', admin: '社区录入', council: '议事会', survey_option: '问卷', survey_text: '问卷留言' };

export const supportText = (supporters: number, anonymous: number): string =>
  `${supporters} 人支持${anonymous > 0 ? `，另有 ${anonymous} 份匿名` : ''}`;

/** A short, clear line for a failed call (the server's Chinese message, or the first field problem). */
export const errorText = (e: ApiError | null | undefined): string | null => (e ? displayMessage(e) : null);

export function Chip({ id, on, label, onClick }: { id: string; on: boolean; label: string; onClick: () => void }) {
  return (
    <Button id={id} className="chip" size="small" type={on ? 'primary' : 'default'} aria-pressed={on} onClick={onClick}>
      {on ? '✓ ' : ''}
      {label}
    </Button>
  );
}

/** Small grey tags (source kinds, 已合并). */
export function Tags({ id, items }: { id?: string; items: string[] }) {
  return (
    <View id={id} className="ma-tags">
      {items.map((t) => (
        <View key={t} className="ma-tag">
          {t}
        </View>
      ))}
    </View>
  );
}
