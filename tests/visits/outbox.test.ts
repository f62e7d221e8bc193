/**
 * The outbox against the real server (dispatch on SQLite): only the network is simulated, as a switch
 * in front of the upload and the call. A “reload” is a second outbox built from the same saved storage.
 */
import { DEMO_PEOPLE, REGION_IDS } from '../../src/server/demo/demo-data';
import { suggestions } from '../../src/features/suggestions/suggestions.collections';
import { households, visits } from '../../src/features/visits/visits.collections';
import { createOutbox, type OutboxDeps, type OutboxDraft, type OutboxEntry } from '../../src/features/visits/visits.outbox';
import { addressKey, householdId } from '../../src/features/visits/visits.rules';
import { checkUploadBytes } from '../../src/server/files/photos';
import { ApiError } from '../../src/client/api-error';
import { IMAGES } from '../support/images';
import { createHarness, type Harness } from '../support/harness';

const WORKER = DEMO_PEOPLE.gridPeixin.openid;
const WANG = householdId(REGION_IDS.peixin, addressKey({ building: '3栋', unit: '2单元', room: '501' }));

interface Device {
  online: boolean;
  /** What survives a reload: the saved JSON and the local photo copies. */
  saved: string;
  photos: Map<string, Buffer>;
  uploads: number;
  calls: number;
  /** Cut the network after this many more successful uploads (null: never). */
  cutAfterUploads: number | null;
}

function deviceDeps(h: Harness, d: Device): OutboxDeps {
  const offline = () => {
    if (!d.online) throw new ApiError('NETWORK', '网络连接失败，请检查网络后重试');
  };
  return {
    load: () => (d.saved ? (JSON.parse(d.saved) as OutboxEntry[]) : []),
    save: (entries) => {
      d.saved = JSON.stringify(entries);
    },
    async upload(ref, onProgress) {
      offline();
      const bytes = d.photos.get(ref);
      if (!bytes) throw new ApiError('FILE.NOT_FOUND', '照片不存在');
      onProgress(50);
      const { contentType, ext } = checkUploadBytes(bytes);
      const id = (await h.services.files.put(bytes, { ownerOpenid: WORKER, contentType, ext, folder: 'visits' })).fileId;
      d.uploads++;
      if (d.cutAfterUploads !== null && --d.cutAfterUploads <= 0) {
        d.online = false;
        d.cutAfterUploads = null;
      }
      return id;
    },
    async record(input) {
      offline();
      d.calls++;
      const r = await h.call('visits', 'record', input, WORKER);
      if (!r.ok) throw new ApiError(r.error.code, r.error.message, r.error.issues ?? []);
      return r.data;
    },
    dropPhoto: async (ref) => {
      d.photos.delete(ref);
    },
    codeOf: (e) => (e instanceof ApiError ? e.code : 'INTERNAL'),
    messageOf: (e) => (e instanceof Error ? e.message : '出错了'),
    now: () => h.services.now(),
  };
}

const draft = (h: Harness, clientId: string, photoRefs: string[], extra: Partial<OutboxDraft> = {}): OutboxDraft => ({
  clientId,
  householdId: WANG,
  householdLabel: '3栋2单元501室 王桂芳',
  visitedAt: h.services.now().toISOString(),
  kind: 'care',
  findings: '老人身体状况良好',
  requests: [{ text: '希望楼道加装扶手', category: '公共设施' }],
  photoConsent: photoRefs.length > 0,
  location: null,
  followUpOf: null,
  photos: photoRefs.map((ref) => ({ ref, fileId: null })),
  ...extra,
});

describe('visit outbox', () => {
  let h: Harness;
  let d: Device;
  beforeEach(async () => {
    h = await createHarness();
    d = { online: false, saved: '', photos: new Map([['p1', IMAGES.jpeg], ['p2', IMAGES.png]]), uploads: 0, calls: 0, cutAfterUploads: null };
  });
  afterEach(() => h.close());
  const visitCount = () => h.services.store.collection(visits).count();

  it('offline: saved as 待上传; after a reload and the network back, the visit and both photos arrive once', async () => {
    const box = createOutbox(deviceDeps(h, d));
    box.saveDraft(draft(h, 'offline-visit-0001', ['p1', 'p2']));
    const r1 = await box.send('offline-visit-0001');
    expect(r1).toEqual({ sent: [], failed: [], waiting: 1 });
    expect(box.list()[0]).toMatchObject({ status: 'queued', error: '网络不可用，恢复后自动上传' });

    const reloaded = createOutbox(deviceDeps(h, d));
    expect(reloaded.list().map((e) => e.clientId)).toEqual(['offline-visit-0001']);
    d.online = true;
    // The network-back event and the app-open flush run together: one run.
    const [a, b] = await Promise.all([reloaded.flush(), reloaded.flush()]);
    expect(a).toBe(b);
    expect(a.sent).toEqual(['offline-visit-0001']);
    expect(reloaded.list()).toEqual([]);
    expect(d.uploads).toBe(2);
    expect(await visitCount()).toBe(1);
    const v = (await h.services.store.collection(visits).find({ limit: 1 })).items[0]!;
    expect(v.photos).toHaveLength(2);
    expect(await h.services.store.collection(suggestions).count({ communityId: REGION_IDS.peixin })).toBeGreaterThan(0);
    expect(d.photos.size).toBe(0);
  });

  it('the network drops after the first photo: a reload uploads only the second, then the note', async () => {
    d.online = true;
    d.cutAfterUploads = 1;
    const box = createOutbox(deviceDeps(h, d));
    box.saveDraft(draft(h, 'halfway-visit-0001', ['p1', 'p2']));
    await box.send('halfway-visit-0001');
    expect(d.uploads).toBe(1);
    expect(box.list()[0]!.photos.map((p) => p.fileId !== null)).toEqual([true, false]);

    // Closed while “sending”: the next open sends it again.
    const stuck = JSON.parse(d.saved) as OutboxEntry[];
    d.saved = JSON.stringify(stuck.map((e) => ({ ...e, status: 'sending' })));
    const reloaded = createOutbox(deviceDeps(h, d));
    expect(reloaded.list()[0]!.status).toBe('queued');
    d.online = true;
    await reloaded.flush();
    expect(d.uploads).toBe(2);
    expect(await visitCount()).toBe(1);
  });

  it('the answer is lost after the server saved the note: the retry files nothing twice', async () => {
    d.online = true;
    const deps = deviceDeps(h, d);
    const lose = { ...deps, record: async (input: Parameters<OutboxDeps['record']>[0]) => {
      await deps.record(input);
      throw new ApiError('NETWORK', '网络连接失败');
    } };
    const box = createOutbox(lose);
    box.saveDraft(draft(h, 'lost-answer-0001', ['p1']));
    await box.send('lost-answer-0001');
    expect(box.list()[0]!.status).toBe('queued');
    const again = createOutbox(deps);
    await again.flush();
    expect(again.list()).toEqual([]);
    expect(await visitCount()).toBe(1);
    expect(d.uploads).toBe(1);
    expect(await h.services.store.collection(suggestions).count({ authorId: `household:${WANG}` })).toBe(1);
    expect((await h.services.store.collection(households).get(WANG))!.visitCount).toBe(1);
  });

  it('a refused note stays as failed with the reason; edited, it goes through', async () => {
    d.online = true;
    const box = createOutbox(deviceDeps(h, d));
    box.saveDraft(draft(h, 'refused-visit-0001', ['p1'], { photoConsent: false }));
    const r = await box.send('refused-visit-0001');
    expect(r.failed).toEqual(['refused-visit-0001']);
    expect(box.get('refused-visit-0001')).toMatchObject({ status: 'failed' });
    expect(box.get('refused-visit-0001')!.error).toBeTruthy();
    // Drafts stay editable: consent recorded, a photo removed (its local copy goes too).
    box.saveDraft({ ...draft(h, 'refused-visit-0001', ['p1']), photos: box.get('refused-visit-0001')!.photos });
    expect((await box.send('refused-visit-0001')).sent).toEqual(['refused-visit-0001']);
    expect(await visitCount()).toBe(1);
    expect(d.uploads).toBe(1);
  });

  it('drafts are not sent until queued; removing one deletes its photos', async () => {
    d.online = true;
    const box = createOutbox(deviceDeps(h, d));
    box.saveDraft(draft(h, 'draft-only-0001', ['p1', 'p2']));
    expect((await box.flush()).sent).toEqual([]);
    box.saveDraft(draft(h, 'draft-only-0001', ['p2']));
    expect([...d.photos.keys()]).toEqual(['p2']);
    await box.remove('draft-only-0001');
    expect(box.list()).toEqual([]);
    expect(d.photos.size).toBe(0);
    expect(d.calls).toBe(0);
  });
});
