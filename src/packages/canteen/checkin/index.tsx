import Taro, { useRouter } from '@tarojs/taro';
import { Input as TaroInput, View } from '@tarojs/components';
import { useCallback, useRef, useState } from 'react';
import { api } from '../../../client/api';
import { toApiError } from '../../../client/api-error';
import { useQuery } from '../../../client/hooks';
import { loadMe } from '../../../client/me';
import { newRequestId } from '../../../client/request-id';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { ErrorState, LoadingState } from '../../../components/states';
import { normaliseCode } from '../../../features/canteen/canteen.token';
import './index.scss';

// Opened straight from the counter's mini-program code, an independent sub-package runs before (and
// without) app.ts, so it initialises the cloud itself; a second init is harmless.
if (process.env.TARO_ENV === 'weapp') {
  try {
    Taro.cloud?.init({ env: CLOUD_ENV || undefined, traceUser: true });
  } catch {
    // not in WeChat (tests): the transport reports any failure on the first call
  }
}

/** Headlines for refusals, in the words staff say at the counter. */
const HEADLINES: Record<string, string> = {
  'CANTEEN.ALREADY_CHECKED_IN': '已就餐',
  'CANTEEN.NOT_ELIGIBLE': '不符合助餐条件',
  'CANTEEN.NOT_APPROVED': '尚未审核通过',
  'CANTEEN.SUSPENDED': '助餐已暂停',
  'CANTEEN.INACTIVE': '不能就餐',
  'CANTEEN.CARD_REVOKED': '卡已挂失作废',
  'CANTEEN.CARD_UNKNOWN': '查无此卡',
  'CANTEEN.CARD_FORGED': '无效的卡',
  'CANTEEN.CARD_TAMPERED': '卡码有误',
  'CANTEEN.CARD_OTHER_KEY': '非本市助餐卡',
  'CANTEEN.CARD_TRUNCATED': '卡码不完整',
  'CANTEEN.CARD_MALFORMED': '不是助餐卡',
  'CANTEEN.TOO_MANY_FAILURES': '请稍后再扫',
  NETWORK: '网络不通',
};

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

type Outcome =
  | { ok: true; mealId: string; name: string; age: number; tierLabel: string; price: number; replayed: boolean; undone?: boolean }
  | { ok: false; code: string; message: string };

interface Attempt {
  key: string;
  requestId: string;
}

/** The counter: scan (WeChat) or type/paste (browser) a meal-card code, see the price or why not. */
export default function CheckIn() {
  const params = useRouter().params;
  // A counter's mini-program code carries the canteen id as its scene.
  const fromLink = params.canteenId ?? params.scene;
  const me = useQuery(() => loadMe(), []);
  const staffCanteen = me.data?.member?.grants.find((g) => g.role === 'canteen_staff' && g.canteenId)?.canteenId;
  const canteenId = fromLink ? decodeURIComponent(fromLink) : staffCanteen;
  const canteenName = me.data?.member?.grants.find((g) => g.canteenId === canteenId)?.regionName ?? '孝义食堂';

  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [q, setQ] = useState('');
  const [found, setFound] = useState<{ elderId: string; name: string; age: number; communityName: string; phoneMasked: string | null }[] | null>(null);
  // The same code (or elder) tried again after a network failure reuses its requestId: never a second meal.
  const last = useRef<Attempt | null>(null);

  const today = useQuery(() => api.canteen.today({ canteenId: canteenId as string }), [canteenId], { enabled: !!canteenId });

  const submit = useCallback(
    async (input: { code: string } | { elderId: string }) => {
      if (!canteenId || busy) return;
      const key = 'code' in input ? `c:${normaliseCode(input.code)}` : `e:${input.elderId}`;
      const attempt = last.current?.key === key ? last.current : { key, requestId: newRequestId() };
      last.current = attempt;
      setBusy(true);
      try {
        const r = await api.canteen.checkIn({ canteenId, requestId: attempt.requestId, meal: 'lunch', ...input });
        setOutcome({ ok: true, mealId: r.mealId, name: r.name, age: r.age, tierLabel: r.tierLabel, price: r.price, replayed: r.replayed });
        last.current = null;
        void Taro.vibrateShort({ type: 'heavy' }).catch(() => undefined);
        void today.run();
      } catch (e) {
        const err = toApiError(e);
        setOutcome({ ok: false, code: err.code, message: err.message });
        if (err.code !== 'NETWORK') last.current = null;
        void Taro.vibrateLong().catch(() => undefined);
      } finally {
        setBusy(false);
        setCode('');
      }
    },
    [canteenId, busy, today],
  );

  const scan = async () => {
    try {
      // 'wxCode' (mini-program codes) is in WeChat's API but missing from Taro's types.
      const r = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode', 'wxCode'] as never[] });
      // A mini-program code opens the page with `scene`; a printed QR carries the bare code.
      const text = r.path ? decodeURIComponent(/scene=([^&]+)/.exec(r.path)?.[1] ?? '') : r.result;
      if (text) await submit({ code: text });
    } catch {
      // cancelled
    }
  };

  const undo = async (mealId: string) => {
    const res = await Taro.showModal({ title: '撤销这次登记？', content: '撤销后该老人今天可以重新登记，撤销记录会保存。', confirmText: '撤销' });
    if (!res.confirm) return;
    try {
      await api.canteen.undoCheckIn({ mealId, reason: '登记有误，工作人员撤销' });
      setOutcome((o) => (o && o.ok ? { ...o, undone: true } : o));
      void today.run();
    } catch (e) {
      void Taro.showToast({ title: toApiError(e).message, icon: 'none' });
    }
  };

  const search = async () => {
    if (!canteenId || !q.trim()) return;
    try {
      setFound((await api.canteen.searchElders({ canteenId, q: q.trim() })).items);
    } catch (e) {
      void Taro.showToast({ title: toApiError(e).message, icon: 'none' });
    }
  };

  if (!canteenId) {
    return (
      <Page id="page-checkin">
        {me.error ? <ErrorState error={me.error} onRetry={() => void me.run()} /> : me.loading ? <LoadingState /> : <View className="section muted">您不是食堂工作人员，请用食堂的邀请码加入</View>}
      </Page>
    );
  }

  const t = today.data?.totals;
  return (
    <Page id="page-checkin" className="checkin">
      <View className="section">
        <View className="title">{canteenName}</View>
        <View className="muted">今日午餐 · 扫描老人的助餐码</View>
        {process.env.TARO_ENV === 'weapp' && (
          <Button id="checkin-scan" type="primary" size="large" block className="checkin-scan" disabled={busy} onClick={() => void scan()}>
            扫码登记
          </Button>
        )}
        <View className="row checkin-entry">
          <TaroInput
            id="checkin-code"
            className="field-input grow checkin-input"
            value={code}
            placeholder="输入或粘贴助餐码"
            maxlength={40}
            confirmType="done"
            onInput={(e) => setCode(e.detail.value)}
            onConfirm={() => code.trim() && void submit({ code })}
          />
          <Button id="checkin-submit" type="primary" size="large" disabled={busy || !code.trim()} onClick={() => void submit({ code })}>
            登记
          </Button>
        </View>
      </View>

      {outcome && (
        <View id="checkin-result" role="alert" className={`section checkin-result ${outcome.ok ? (outcome.undone ? 'is-undone' : 'is-ok') : 'is-refused'}`}>
          {outcome.ok ? (
            <>
              <View id="checkin-result-title" className="checkin-headline">
                {outcome.undone ? '已撤销' : outcome.replayed ? '已登记（重复提交）' : '可以就餐'}
              </View>
              <View id="checkin-result-name" className="checkin-name">
                {outcome.name} · {outcome.age}岁
              </View>
              <View className="checkin-tier">{outcome.tierLabel}</View>
              <View id="checkin-result-price" className="checkin-price">
                收 ¥{yuan(outcome.price)}
              </View>
              {!outcome.undone && (
                <Button id="checkin-undo" fill="outline" onClick={() => void undo(outcome.mealId)}>
                  登记错了？撤销
                </Button>
              )}
            </>
          ) : (
            <>
              <View id="checkin-result-title" className="checkin-headline">
                {HEADLINES[outcome.code] ?? '不能登记'}
              </View>
              <View id="checkin-result-reason" className="checkin-reason">
                {outcome.message}
              </View>
              {outcome.code === 'NETWORK' && (
                <Button id="checkin-retry" type="primary" onClick={() => last.current && void submit(last.current.key.startsWith('c:') ? { code: last.current.key.slice(2) } : { elderId: last.current.key.slice(2) })}>
                  重试
                </Button>
              )}
            </>
          )}
        </View>
      )}

      <View className="section">
        <View className="section-title">忘带卡：按姓名或手机尾号查找</View>
        <View className="row">
          <TaroInput id="checkin-search-q" className="field-input grow" value={q} placeholder="完整姓名或手机后 4 位" maxlength={30} onInput={(e) => setQ(e.detail.value)} onConfirm={() => void search()} />
          <Button id="checkin-search-go" onClick={() => void search()}>
            查找
          </Button>
        </View>
        {found && found.length === 0 && <View className="muted">没有找到，请核对姓名或联系社区</View>}
        {found?.map((f, i) => (
          <View key={f.elderId} id={`checkin-search-item-${i}`} className="list-item row-between tap" onClick={() => void submit({ elderId: f.elderId })}>
            <View>
              {f.name} · {f.age}岁
            </View>
            <View className="meta">
              {f.communityName}
              {f.phoneMasked ? ` · ${f.phoneMasked}` : ''}
            </View>
          </View>
        ))}
      </View>

      <View className="section" id="checkin-totals">
        <View className="section-title">今日合计</View>
        {t ? (
          <View className="checkin-totals">
            <View>
              就餐 <View id="checkin-totals-meals" className="checkin-total-num">{t.meals}</View> 人次
            </View>
            <View>
              收款 ¥<View id="checkin-totals-cash" className="checkin-total-num">{yuan(t.cash)}</View>
            </View>
            <View>补贴 ¥{yuan(t.subsidy)}</View>
            {t.tiers.map((tier) => (
              <View key={tier.tierKey} className="meta">
                {tier.label}：{tier.meals} 人次，¥{yuan(tier.cash)}
              </View>
            ))}
          </View>
        ) : today.error ? (
          <ErrorState error={today.error} onRetry={() => void today.run()} />
        ) : (
          <LoadingState />
        )}
        <Button id="checkin-report" fill="outline" block onClick={() => void Taro.navigateTo({ url: `/packages/canteen/report/index?canteenId=${encodeURIComponent(canteenId)}` })}>
          报表与导出
        </Button>
      </View>
    </Page>
  );
}
