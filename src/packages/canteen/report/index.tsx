import { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useState } from 'react';
import { api } from '../../../client/api';
import { transport } from '../../../client/transport';
import { useAction, useQuery } from '../../../client/hooks';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { ErrorState, LoadingState } from '../../../components/states';
import './index.scss';

const yuan = (fen: number) => `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;
const shanghaiToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** Daily and monthly figures for a canteen (`canteenId`) or a district (`districtId`), with .xlsx export. */
export default function Report() {
  const params = useRouter().params;
  const scope = params.districtId ? 'district' : 'canteen';
  const id = decodeURIComponent((params.districtId ?? params.canteenId) || '');
  const [period, setPeriod] = useState<'day' | 'month'>('day');
  const value = period === 'day' ? shanghaiToday() : shanghaiToday().slice(0, 7);
  const report = useQuery(() => api.canteen.report({ scope, id, period, value }), [scope, id, period, value], { enabled: !!id });
  const exporter = useAction(async () => {
    const file = await api.canteen.exportReport({ scope, id, period, value });
    await transport.openFile(file.url, `助餐统计-${value}.xlsx`);
    return file;
  });

  const t = report.data?.totals;
  return (
    <Page id="page-canteen-report">
      <View className="section">
        <View className="chips">
          {(['day', 'month'] as const).map((p) => (
            <Button key={p} id={`report-period-${p}`} className="chip" type={period === p ? 'primary' : 'default'} aria-pressed={period === p} onClick={() => setPeriod(p)}>
              {p === 'day' ? '今日' : '本月'}
            </Button>
          ))}
        </View>
      </View>
      {report.error ? (
        <ErrorState error={report.error} onRetry={() => void report.run()} />
      ) : !report.data || !t ? (
        <LoadingState />
      ) : (
        <View className="section">
          <View className="title">{report.data.title}</View>
          <View id="report-totals" className="report-totals">
            <View>
              就餐 <View id="report-meals" className="report-num">{t.meals}</View> 人次 · {t.elders} 人
            </View>
            <View>个人缴费 ¥{yuan(t.cash)} · 应补贴 ¥{yuan(t.subsidy)}</View>
            {t.tiers.map((tier) => (
              <View key={tier.tierKey} className="meta">
                {tier.label}：{tier.meals} 人次，¥{yuan(tier.cash)}
              </View>
            ))}
          </View>
          {report.data.rows.map((r, i) => (
            <View key={r.key} id={`report-row-${i}`} className="list-item row-between">
              <View>{r.label}</View>
              <View className="meta">
                {r.meals} 人次 · ¥{yuan(r.cash)}
              </View>
            </View>
          ))}
          <Button id="report-export" type="primary" block loading={exporter.loading} onClick={() => void exporter.run()}>
            导出 Excel
          </Button>
        </View>
      )}
    </Page>
  );
}
