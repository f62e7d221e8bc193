import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { CATEGORIES, type CategoryName as Category } from '../../../features/suggestions/suggestions.labels';
import { api } from '../../../client/api';
import { fieldError } from '../../../client/api-error';
import { useAction } from '../../../client/hooks';
import { newRequestId } from '../../../client/request-id';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { Input } from '../../../components/nut/input';
import { TextArea } from '../../../components/nut/textarea';
import { Field } from '../../../components/field';
import { EmptyState, ErrorState, ListFooter, LoadingState } from '../../../components/states';
import { FOCUSABLE } from '../../../components/focusable';
import { Chip, KIND_LABELS, NoCommunity, supportText, Tags, useAdminScope, useLivePaged } from '../shared';
import '../ui.scss';

type Sort = 'supporters' | 'newest' | 'score';

/** This year's demand list of the admin's community: sort, load more, open one, enter a new one. */
export default function Demands() {
  const { me, params, communityId, year } = useAdminScope();
  // A grid worker on the year's committee (from their home): reads and scores; the admin's tools are not theirs.
  const committee = params.as === 'committee';
  const [sort, setSort] = useState<Sort>('supporters');
  const [adding, setAdding] = useState(false);
  const list = useLivePaged((cursor) => api.matters.listDemands({ communityId: communityId as string, year, sort, cursor }), [communityId, year, sort], !!communityId);

  if (!communityId) {
    return (
      <Page id="page-demands">
        <NoCommunity me={me} />
      </Page>
    );
  }
  const q = `communityId=${encodeURIComponent(communityId)}&year=${year}`;

  return (
    <Page id="page-demands">
      <View className="section">
        <View className="row-between">
          <View className="title">{year} 年需求清单</View>
          {!committee && (
            <Button id="demands-procedure" size="small" onClick={() => void Taro.navigateTo({ url: `/packages/matters-admin/procedure/index?${q}` })}>
              四议两公开
            </Button>
          )}
        </View>
        {committee && (
          <View id="demands-committee-note" className="muted">
            您是本年度评议小组成员：点开需求，按四项原则打分。居民的联系方式已隐去。
          </View>
        )}
        {!committee && (
          <View className="row">
            <Button id="demands-committee" className="grow" size="small" onClick={() => void Taro.navigateTo({ url: `/packages/matters-admin/committee/index?${q}` })}>
              评议小组
            </Button>
            <Button id="demands-meetings" className="grow" size="small" onClick={() => void Taro.navigateTo({ url: `/packages/matters-admin/meetings/index?${q}` })}>
              居民议事会
            </Button>
            <Button id="demands-closing" className="grow" size="small" onClick={() => void Taro.navigateTo({ url: `/packages/matters-admin/closing/index?${q}` })}>
              验收与回访
            </Button>
          </View>
        )}
        <View className="chips">
          <Chip id="demands-sort-supporters" on={sort === 'supporters'} label="按支持人数" onClick={() => setSort('supporters')} />
          <Chip id="demands-sort-newest" on={sort === 'newest'} label="最新" onClick={() => setSort('newest')} />
          <Chip id="demands-sort-score" on={sort === 'score'} label="按评分" onClick={() => setSort('score')} />
        </View>
        {!adding && !committee && (
          <Button id="demands-new" type="primary" block onClick={() => setAdding(true)}>
            新增需求
          </Button>
        )}
      </View>

      {adding && (
        <NewDemand
          communityId={communityId}
          year={year}
          onCancel={() => setAdding(false)}
          onCreated={(id) => {
            setAdding(false);
            void list.reload();
            void Taro.navigateTo({ url: `/packages/matters-admin/demand/index?id=${encodeURIComponent(id)}&${q}` });
          }}
        />
      )}

      {list.error && list.items.length === 0 ? (
        <ErrorState error={list.error} onRetry={() => void list.reload()} />
      ) : !list.loaded ? (
        <LoadingState />
      ) : list.items.length === 0 ? (
        <EmptyState text="清单中没有待议的需求（已列入或未列入年度实事的不在此列）。可从意见箱的建议纳入，或点“新增需求”录入。" />
      ) : (
        <View id="demands-list">
          {list.items.map((d, i) => (
            <View
              key={d._id}
              id={`demands-item-${i}`}
              data-id={d._id}
              className="list-item"
              role="button"
              {...FOCUSABLE}
              onClick={() => void Taro.navigateTo({ url: `/packages/matters-admin/demand/index?id=${encodeURIComponent(d._id)}&${q}` })}
            >
              <View className="section-title">{d.title}</View>
              <View className="meta">
                {d.category} · <Text id={`demands-support-${i}`}>{supportText(d.supporters, d.anonymous)}</Text>
              </View>
              <Tags
                id={`demands-tags-${i}`}
                items={[
                  ...Object.keys(d.kinds).map((k) => KIND_LABELS[k] ?? k),
                  ...(d.mergedCount > 0 ? [`已合并 ${d.mergedCount} 条`] : []),
                ]}
              />
            </View>
          ))}
          <ListFooter list={list} idPrefix="demands" />
        </View>
      )}
    </Page>
  );
}

/** 新增需求: what residents want, entered by the community with where it came from (来由). */
function NewDemand({ communityId, year, onCancel, onCreated }: { communityId: string; year: number; onCancel: () => void; onCreated: (id: string) => void }) {
  const [requestId] = useState(newRequestId);
  const [title, setTitle] = useState('');
  const [category, setCategory] = useState<Category | null>(null);
  const [description, setDescription] = useState('');
  const [note, setNote] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const create = useAction(
    async () => {
      const d = await api.matters.createDemand({ requestId, communityId, year, title: title.trim(), description: description.trim(), category: category as Category, note: note.trim() });
      onCreated(d._id);
      return d;
    },
    { successToast: '已加入需求清单' },
  );
  const submit = () => {
    const errs: Record<string, string> = {};
    if (title.trim().length < 2) errs.title = '标题至少 2 个字';
    if (!category) errs.category = '请选择类别';
    if (note.trim().length < 2) errs.note = '请写明来由（至少 2 个字）';
    setLocal(errs);
    if (Object.keys(errs).length === 0) void create.run();
  };
  const err = (f: string) => local[f] ?? fieldError(create.error, f);
  return (
    <View id="demand-form" className="section">
      <View className="section-title">新增需求</View>
      <Field label="标题（2–40 字）" error={err('title')} errorId="demand-title-error">
        <Input id="demand-title" className="field-input" placeholder="如：老旧小区加装电梯" maxLength={40} value={title} onChange={setTitle} />
      </Field>
      <Field label="类别" error={err('category')} errorId="demand-category-error">
        <View className="chips">
          {CATEGORIES.map((c, i) => (
            <Chip key={c} id={`demand-category-${i}`} on={category === c} label={c} onClick={() => setCategory(c)} />
          ))}
        </View>
      </Field>
      <Field label="说明（选填）" error={err('description')}>
        <TextArea id="demand-description" className="field-input" placeholder="具体情况、涉及范围" maxLength={500} value={description} onChange={setDescription} />
      </Field>
      <Field label="来由（必填）" error={err('note')} errorId="demand-note-error">
        <TextArea id="demand-note" className="field-input" placeholder="如：居民议事会上多位居民提出" maxLength={200} value={note} onChange={setNote} />
      </Field>
      <View className="row">
        <Button id="demand-cancel" className="grow" disabled={create.loading} onClick={onCancel}>
          取消
        </Button>
        <Button id="demand-submit" className="grow" type="primary" loading={create.loading} disabled={create.loading} onClick={submit}>
          加入需求清单
        </Button>
      </View>
    </View>
  );
}
