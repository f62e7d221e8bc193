import Taro, { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useState } from 'react';
import type { ImportRowError } from '../../../features/canteen/canteen.schema';
import { api } from '../../../client/api';
import { displayMessage, toApiError } from '../../../client/api-error';
import { useAction } from '../../../client/hooks';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { param } from '../shared';
import { chooseAndUploadXlsx } from '../../../client/xlsx-upload';

interface Checked {
  name: string;
  fileId: string;
  ok: boolean;
  rows: number;
  errors: ImportRowError[];
  imported: number | null;
}

/** Roster import: pick → check (dry run, row-by-row report) → import. Nothing is imported until every row is good. */
export default function RosterImport() {
  const communityId = param(useRouter().params.communityId);
  const [state, setState] = useState<Checked | null>(null);

  const check = useAction(async () => {
    let f: { name: string; fileId: string } | null;
    try {
      // Uploaded first (the call itself stays small), then checked and imported by its file id.
      f = await chooseAndUploadXlsx(() => undefined);
    } catch (e) {
      void Taro.showToast({ title: displayMessage(toApiError(e)), icon: 'none' });
      return null;
    }
    if (!f) return null;
    setState(null);
    const r = await api.canteen.importRoster({ communityId, fileId: f.fileId, dryRun: true });
    setState({ name: f.name, fileId: f.fileId, ok: r.ok, rows: r.rows, errors: r.errors, imported: null });
    return r;
  });
  const apply = useAction(async () => {
    const s = state!;
    const r = await api.canteen.importRoster({ communityId, fileId: s.fileId, dryRun: false });
    setState({ ...s, ok: r.ok, rows: r.rows, errors: r.errors, imported: r.ok ? r.imported : null });
    if (r.ok) void Taro.showToast({ title: `已导入 ${r.imported} 人`, icon: 'none' });
    return r;
  });

  return (
    <Page id="page-roster-import">
      <View className="section muted">
        Excel 名册每行一位老人：姓名、性别、出生日期或身份证号、类别（留守、独居、困难、其他）、手机号、监护人姓名和电话。
        导入的老人直接审核通过并发卡。任何一行有问题都不会导入，请改好后重新选择文件。
      </View>
      <View className="actions">
        <Button id="import-choose" type="primary" size="large" block loading={check.loading} disabled={check.loading || apply.loading} onClick={() => void check.run()}>
          {state ? `重新选择文件（当前：${state.name}）` : '选择 Excel 文件并检查'}
        </Button>
      </View>
      {state && (
        <View id="import-report" className="section">
          <View id="import-summary" className="section-title">
            {state.imported !== null
              ? `导入完成：共 ${state.imported} 人`
              : state.ok
                ? `共 ${state.rows} 行，全部正确`
                : `共 ${state.rows} 行，有 ${state.errors.length} 个问题，未导入任何一行`}
          </View>
          {state.errors.length > 0 && (
            <View id="import-errors">
              {state.errors.map((e, i) => (
                <View key={i} id={`import-error-${i}`} className="field-error">
                  第 {e.row} 行「{e.field}」：{e.message}
                </View>
              ))}
            </View>
          )}
          {state.ok && state.imported === null && (
            <Button id="import-apply" type="primary" size="xlarge" block loading={apply.loading} disabled={apply.loading} onClick={() => void apply.run()}>
              导入 {state.rows} 人
            </Button>
          )}
        </View>
      )}
    </Page>
  );
}
