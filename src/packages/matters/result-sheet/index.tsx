import { useRouter } from '@tarojs/taro';
import { Image, View } from '@tarojs/components';
import { resultSheetText } from '../../../features/matters/result-sheet.rules';
import { api } from '../../../client/api';
import { useQuery } from '../../../client/hooks';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { ElderSwitch } from '../../../components/elder-switch';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { canPrint, printSheet } from '../notice/printer';
import './index.scss';

/**
 * 实施结果公开 of one accepted matter as a sheet to post on the notice board: H5 prints it on A4 (everything
 * outside `#rsheet` is hidden when printing); WeChat shows the same sheet without a print button.
 */
export default function ResultSheetPage() {
  const matterId = decodeURIComponent(useRouter().params.id ?? '');
  const q = useQuery(() => api.matters.resultSheet({ matterId }), [matterId], { enabled: !!matterId });
  if (!matterId || q.error || !q.data) {
    return (
      <Page id="page-result-sheet">
        {!matterId ? <EmptyState text="没有指定实事" /> : q.error ? <ErrorState error={q.error} onRetry={() => void q.run()} /> : <LoadingState />}
      </Page>
    );
  }
  const d = q.data;
  const t = resultSheetText(d);
  const url = (id: string) => d.urls[id] ?? '';
  return (
    <Page id="page-result-sheet" className="rsheet-page">
      <View className="rsheet-tools section">
        {canPrint ? (
          <Button id="rsheet-print" type="primary" size="large" block onClick={printSheet}>
            打印（A4）
          </Button>
        ) : (
          <View className="muted">小程序内不能直接打印：请在电脑浏览器中打开本页打印。</View>
        )}
      </View>

      <View id="rsheet" className="rsheet">
        <View id="rsheet-title" className="rsheet-title">
          {t.title}
        </View>
        <View id="rsheet-heading" className="rsheet-heading">
          {t.heading}
        </View>
        <View id="rsheet-who" className="rsheet-block">
          {t.units && <View className="rsheet-line">{t.units}</View>}
          {t.leaders && <View className="rsheet-line">{t.leaders}</View>}
        </View>
        <View id="rsheet-dates" className="rsheet-block rsheet-dates">
          {t.dates.map((x) => (
            <View key={x} className="rsheet-line">
              {x}
            </View>
          ))}
        </View>
        <View id="rsheet-summary" className="rsheet-para">
          {d.result.summary}
        </View>
        <View id="rsheet-money" className="rsheet-block">
          <View className="rsheet-subtitle">资金使用</View>
          {t.money.map((x) => (
            <View key={x} className="rsheet-line">
              {x}
            </View>
          ))}
        </View>
        <View className="rsheet-subtitle">实施前后对比</View>
        {d.result.pairs.map((p, i) => (
          <View key={i} id={`rsheet-pair-${i}`} className="rsheet-pair">
            {(['before', 'after'] as const).map((side) => (
              <View key={side} className="rsheet-side">
                <Image className="rsheet-img" src={url(p[side])} mode="aspectFill" nativeProps={{ alt: side === 'before' ? '实施前' : '实施后' }} />
                <View className="rsheet-label">
                  {side === 'before' ? '实施前' : '实施后'}
                  {p.caption ? ` · ${p.caption}` : ''}
                </View>
              </View>
            ))}
          </View>
        ))}
        <View id="rsheet-satisfaction" className="rsheet-block rsheet-satisfaction">
          {t.satisfaction}
        </View>
        <View id="rsheet-sign" className="rsheet-sign">
          <View>{t.signature}</View>
          <View>{t.date}</View>
        </View>
      </View>
      <View className="rsheet-tools">
        <ElderSwitch />
      </View>
    </Page>
  );
}
