import { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { noticeText } from '../../../features/matters/notice.rules';
import { api } from '../../../client/api';
import { useAction, useQuery } from '../../../client/hooks';
import { adminGrant, loadMe, residentGrant } from '../../../client/me';
import { transport } from '../../../client/transport';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { ElderSwitch } from '../../../components/elder-switch';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { canPrint, printSheet } from './printer';
import './index.scss';

const thisYear = (): number => Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));
const STAFF = ['community_admin', 'district_admin', 'city_admin'];

/**
 * The 公示 sheet of a community's year as an official notice: admins print it (H5) or take the .xlsx
 * (WeChat) to post on the notice board; residents may read it. Everything outside `#notice-sheet` is
 * hidden when printing.
 */
export default function Notice() {
  const params = useRouter().params;
  const me = useQuery(() => loadMe(), []);
  const communityId = params.communityId ? decodeURIComponent(params.communityId) : (residentGrant(me.data ?? null) ?? adminGrant(me.data ?? null))?.regionId;
  const year = Number(params.year) || thisYear();
  const sheet = useQuery(() => api.matters.printSheet({ communityId: communityId as string, year }), [communityId, year], { enabled: !!communityId });
  const staff = !!me.data?.member?.grants.some((g) => STAFF.includes(g.role));
  const xlsx = useAction(async () => {
    const out = await api.matters.exportSlate({ communityId: communityId as string, year });
    await transport.openFile(out.url, `十件实事公示-${year}.xlsx`);
    return out;
  });

  if (!communityId || sheet.error || !sheet.data) {
    return (
      <Page id="page-notice">
        {sheet.error ? (
          <ErrorState error={sheet.error} onRetry={() => void sheet.run()} />
        ) : me.error ? (
          <ErrorState error={me.error} onRetry={() => void me.run()} />
        ) : communityId || me.loading ? (
          <LoadingState />
        ) : (
          <EmptyState text="加入社区后可查看本社区的实事公示" />
        )}
      </Page>
    );
  }
  const t = noticeText(sheet.data);
  return (
    <Page id="page-notice" className="notice-page">
      <View className="notice-tools section">
        {t.draftWarning && (
          <View id="notice-draft" className="notice-draft" role="alert">
            {t.draftWarning}
          </View>
        )}
        {canPrint && (
          <Button id="notice-print" type="primary" size="large" block onClick={printSheet}>
            打印（A4）
          </Button>
        )}
        {staff && (
          <Button id="notice-xlsx" size="large" block loading={xlsx.loading} onClick={() => void xlsx.run()}>
            导出 Excel 公示表
          </Button>
        )}
        {!canPrint && <View className="muted">小程序内不能直接打印：请导出 Excel 后在电脑上打印，或在电脑浏览器中打开本页打印。</View>}
      </View>

      <View id="notice-sheet" className="notice-sheet">
        {t.draftWarning && <View className="notice-draft-stamp">草稿 · 请勿张贴</View>}
        <View id="notice-title" className="notice-title">
          {t.title}
        </View>
        <View className="notice-para">{t.intro}</View>
        <View className="notice-table" role="table" aria-label="实事清单">
          <View className="notice-row notice-head" role="row">
            <View className="notice-n" role="columnheader">序号</View>
            <View className="notice-item-title" role="columnheader">事项</View>
            <View className="notice-reason" role="columnheader">提议理由</View>
            <View className="notice-sup" role="columnheader">支持居民</View>
            <View className="notice-cost" role="columnheader">预估费用</View>
          </View>
          {t.items.map((it) => (
            <View key={it.n} id={`notice-item-${it.n - 1}`} className="notice-row" role="row">
              <View className="notice-n" role="cell">{it.n}</View>
              <View className="notice-item-title" role="cell">{it.title}</View>
              <View className="notice-reason" role="cell">
                <View className="notice-label">提议理由：</View>
                {it.reason}
              </View>
              <View className="notice-sup" role="cell">
                <View className="notice-label">支持居民：</View>
                {it.supporters}
              </View>
              <View className="notice-cost" role="cell">
                <View className="notice-label">预估费用：</View>
                {it.cost}
              </View>
            </View>
          ))}
        </View>
        {t.items.length === 0 && <View className="notice-para">尚无事项。</View>}
        <View id="notice-total" className="notice-para">
          {t.total}
        </View>
        {t.steps.length > 0 && (
          <View id="notice-steps" className="notice-block">
            <View className="notice-subtitle">“四议”程序</View>
            {t.steps.map((s) => (
              <View key={s} className="notice-line">
                {s}
              </View>
            ))}
          </View>
        )}
        {t.publicity && (
          <View id="notice-publicity" className="notice-block">
            <View className="notice-line">{t.publicity}</View>
            {t.objection && (
              <View id="notice-objection" className="notice-line">
                {t.objection}
              </View>
            )}
          </View>
        )}
        <View id="notice-sign" className="notice-sign">
          <View>{t.signature}</View>
          <View>{t.date}</View>
        </View>
      </View>
      <View className="notice-tools">
        <ElderSwitch />
      </View>
    </Page>
  );
}
