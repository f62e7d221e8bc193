/** Small pieces shared by the community admin's canteen pages. */
import type { ElderView } from '../../features/canteen/canteen.schema';

export const param = (v: string | undefined): string => (v ? decodeURIComponent(v) : '');

export const yuan = (fen: number): string => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

/** Today in Asia/Shanghai (UTC+8, no daylight saving). */
export const shanghaiToday = (): string => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** There is no single-elder read action: the list hands the rows it showed to the elder page. */
const seen = new Map<string, ElderView>();
export const rememberElders = (items: ElderView[]): void => items.forEach((e) => seen.set(e._id, e));
export const rememberedElder = (id: string): ElderView | undefined => seen.get(id);
