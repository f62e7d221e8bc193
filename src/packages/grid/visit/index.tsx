import Taro, { useRouter } from '@tarojs/taro';
import { Image, View } from '@tarojs/components';
import { useEffect, useRef, useState } from 'react';
import { FINDINGS_MAX, KIND_LABELS, KINDS, MAX_REQUESTS, MAX_VISIT_PHOTOS, type KindName as VisitKind } from '../../../features/visits/visits.labels';
import type { Location } from '../../../features/visits/visits.schema';
import { CATEGORIES, TEXT_MIN, type CategoryName as Category } from '../../../features/suggestions/suggestions.labels';
import type { OutboxPhoto } from '../../../features/visits/visits.outbox';
import { transport } from '../../../client/transport';
import { keepPhoto, newClientId, photoPreview, useVisitOutbox } from '../../../client/visit-outbox';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { TextArea } from '../../../components/nut/textarea';
import { Field } from '../../../components/field';
import { SwitchRow } from '../../../components/switch-row';
import { formatDateTime } from '../../../components/format';
import { Chip, param } from '../ui';
import '../ui.scss';
import './index.scss';


interface Req {
  text: string;
  category: Category;
}

/**
 * The visit note, written on the phone first: 保存草稿 keeps it in the outbox; 提交 queues it and sends
 * it now or as soon as the network returns (photos first, then the note). Opening an outbox entry edits it.
 */
export default function VisitForm() {
  const params = useRouter().params;
  const { outbox } = useVisitOutbox();
  const editing = param(params.clientId);
  const existing = editing ? outbox.get(editing) : undefined;

  const [clientId] = useState(() => existing?.clientId ?? newClientId());
  const householdId = existing?.householdId ?? param(params.householdId) ?? '';
  const label = existing?.householdLabel ?? param(params.label) ?? '';
  const followUpOf = existing?.followUpOf ?? param(params.followUpOf) ?? null;
  const [visitedAt] = useState(() => existing?.visitedAt ?? new Date().toISOString());
  const [kind, setKind] = useState<VisitKind>(existing?.kind ?? (followUpOf ? 'follow_up' : 'routine'));
  const [findings, setFindings] = useState(existing?.findings ?? '');
  const [requests, setRequests] = useState<Req[]>(
    (existing?.requests ?? []).map((r) => ({ text: r.text, category: (r.category as Category | undefined) ?? '其他' })),
  );
  const [photos, setPhotos] = useState<OutboxPhoto[]>(existing?.photos ?? []);
  const [previews, setPreviews] = useState<Record<string, string>>({});
  const [consent, setConsent] = useState(existing?.photoConsent ?? false);
  const [location, setLocation] = useState<Location | null>(existing?.location ?? null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const seq = useRef(photos.length);

  useEffect(() => {
    for (const p of photos) {
      if (!previews[p.ref]) void photoPreview(p.ref).then((url) => setPreviews((m) => ({ ...m, [p.ref]: url })));
    }
  }, [photos, previews]);

  const addPhotos = async () => {
    const room = MAX_VISIT_PHOTOS - photos.length;
    if (room <= 0) return;
    let picked;
    try {
      picked = (await transport.chooseImages(room)).slice(0, room);
    } catch {
      return; // cancelled
    }
    setBusy(true);
    try {
      const kept: OutboxPhoto[] = [];
      for (const img of picked) kept.push({ ref: await keepPhoto(img, `${clientId}-${++seq.current}`), fileId: null });
      setPhotos((list) => [...list, ...kept].slice(0, MAX_VISIT_PHOTOS));
    } catch {
      void Taro.showToast({ title: '照片保存失败，请重试', icon: 'none' });
    } finally {
      setBusy(false);
    }
  };

  const locate = async () => {
    try {
      const r = await Taro.getLocation({ type: 'gcj02' });
      setLocation({ latitude: r.latitude, longitude: r.longitude, ...(r.accuracy ? { accuracy: r.accuracy } : {}) });
    } catch {
      void Taro.showToast({ title: '无法获取位置，可以不填', icon: 'none' });
    }
  };

  const draft = () => ({
    clientId,
    householdId,
    householdLabel: label,
    visitedAt,
    kind,
    findings: findings.trim(),
    requests: requests.filter((r) => r.text.trim()).map((r) => ({ text: r.text.trim(), category: r.category })),
    photoConsent: consent,
    location,
    followUpOf,
    photos,
  });

  const check = (): boolean => {
    const e: Record<string, string> = {};
    if (findings.trim().length < 2) e.findings = '请填写走访情况（至少 2 个字）';
    if (photos.length > 0 && !consent) e.consent = '拍照需经居民同意，请确认已征得同意';
    const short = requests.findIndex((r) => r.text.trim() && r.text.trim().length < TEXT_MIN);
    if (short >= 0) e.requests = `第 ${short + 1} 条诉求至少 ${TEXT_MIN} 个字`;
    setErrors(e);
    return Object.keys(e).length === 0;
  };

  const saveDraft = () => {
    outbox.saveDraft(draft());
    void Taro.showToast({ title: '草稿已保存', icon: 'none' });
  };

  /** Queued and sent in the background: the outbox page shows each photo's progress and the result. */
  const submit = async () => {
    if (!check()) return;
    outbox.saveDraft(draft());
    void outbox.send(clientId);
    await Taro.redirectTo({ url: '/packages/grid/outbox/index?from=visit' });
  };

  if (!householdId) {
    return (
      <Page id="page-visit-form">
        <View className="section">请从住户页进入记录走访。</View>
      </Page>
    );
  }

  return (
    <Page id="page-visit-form">
      <View className="section">
        <View id="visit-household" className="title">{label}</View>
        <View className="meta">
          走访时间 {formatDateTime(visitedAt)}
          {followUpOf ? ' · 回访' : ''}
        </View>
      </View>
      <Field label="走访类型">
        <View className="chips">
          {KINDS.map((k) => (
            <Chip key={k} id={`visit-kind-${k}`} on={kind === k} label={KIND_LABELS[k]} onClick={() => setKind(k)} />
          ))}
        </View>
      </Field>
      <Field label="走访情况" error={errors.findings} errorId="visit-findings-error">
        <TextArea id="visit-findings" className="field-input" placeholder="看到了什么、了解到什么" maxLength={FINDINGS_MAX} value={findings} onChange={setFindings} />
      </Field>
      <Field label={`居民诉求（选填，每条会转入意见箱，最多 ${MAX_REQUESTS} 条）`} error={errors.requests} errorId="visit-requests-error">
        {requests.map((r, i) => (
          <View key={i} id={`visit-request-${i}`} className="grid-request">
            <TextArea
              id={`visit-request-text-${i}`}
              className="field-input"
              placeholder="居民希望社区解决的事"
              maxLength={500}
              value={r.text}
              onChange={(t) => setRequests((list) => list.map((x, j) => (j === i ? { ...x, text: t } : x)))}
            />
            <View className="chips">
              {CATEGORIES.map((c, ci) => (
                <Chip
                  key={c}
                  id={`visit-request-${i}-category-${ci}`}
                  on={r.category === c}
                  label={c}
                  onClick={() => setRequests((list) => list.map((x, j) => (j === i ? { ...x, category: c } : x)))}
                />
              ))}
            </View>
            <Button id={`visit-request-remove-${i}`} size="small" onClick={() => setRequests((list) => list.filter((_, j) => j !== i))}>
              删除这条诉求
            </Button>
          </View>
        ))}
        {requests.length < MAX_REQUESTS && (
          <Button id="visit-request-add" block onClick={() => setRequests((list) => [...list, { text: '', category: '其他' }])}>
            添加一条诉求
          </Button>
        )}
      </Field>
      <Field label={`照片（选填，最多 ${MAX_VISIT_PHOTOS} 张，先存在手机上）`} error={errors.consent} errorId="visit-consent-error">
        <View className="photo-grid">
          {photos.map((p, i) => (
            <View key={p.ref} id={`visit-photo-${i}`} className="photo-item">
              <View className="photo-cell">
                {previews[p.ref] && <Image className="photo-img" src={previews[p.ref]!} mode="aspectFill" ariaLabel={`照片 ${i + 1}`} nativeProps={{ alt: `照片 ${i + 1}` }} />}
              </View>
              <View className="meta visit-photo-status">{p.fileId ? '已上传' : '待上传'}</View>
              <Button id={`visit-photo-remove-${i}`} size="small" className="photo-remove" onClick={() => setPhotos((list) => list.filter((x) => x.ref !== p.ref))}>
                删除
              </Button>
            </View>
          ))}
        </View>
        {photos.length < MAX_VISIT_PHOTOS && (
          <Button id="visit-photo-add" block disabled={busy} onClick={() => void addPhotos()}>
            添加照片（{photos.length}/{MAX_VISIT_PHOTOS}）
          </Button>
        )}
        <SwitchRow
          id="visit-consent"
          title="居民同意拍照并留存"
          desc={consent ? '已征得居民同意' : '未确认：有照片时必须征得同意'}
          checked={consent}
          onChange={setConsent}
        />
      </Field>
      <Field label="位置（选填）">
        <View className="row-between">
          <View id="visit-location" className="meta">
            {location ? `已记录（${location.latitude.toFixed(4)}, ${location.longitude.toFixed(4)}）` : '未记录'}
          </View>
          <Button id="visit-locate" size="small" onClick={() => void (location ? setLocation(null) : locate())}>
            {location ? '清除' : '记录位置'}
          </Button>
        </View>
      </Field>
      <View className="actions">
        <Button id="visit-submit" type="primary" size="xlarge" block disabled={busy} onClick={() => void submit()}>
          提交（无网络时自动保存，联网后上传）
        </Button>
        <Button id="visit-draft" block disabled={busy} onClick={saveDraft}>
          保存草稿
        </Button>
      </View>
    </Page>
  );
}
