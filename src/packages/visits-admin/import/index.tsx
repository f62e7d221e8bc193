import Taro, { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useState } from 'react';
import type { ImportMode, ImportReport } from '../../../features/visits/visits.schema';
import { api } from '../../../client/api';
import { transport } from '../../../client/transport';
import { displayMessage, toApiError } from '../../../client/api-error';
import { useAction } from '../../../client/hooks';
import { Page } from '../../../components/page';
import { Button } from '../../../components/nut/button';
import { param } from '../../grid/ui';
import { chooseAndUploadXlsx } from '../../../client/xlsx-upload';
import '../../grid/ui.scss';

/**
 * Template → fill in → upload → check (row-by-row report) → import. A file with errors imports nothing,
 * unless the admin explicitly chooses to import only its valid rows.
 */
export default function LedgerImport() {
  const communityId = param(useRouter().params.communityId) ?? '';
  const [file, setFile] = useState<{ fileId: string; name: string } | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);

  const template = useAction(async () => {
    const t = await api.visits.importTemplate({ communityId });
    await transport.openFile(t.url, '住户台账模板.xlsx');
    return t;
  });
  const choose = async () => {
    setReport(null);
    try {
      const f = await chooseAndUploadXlsx(setProgress);
      if (f) {
        setFile(f);
        await run.run('check', f.fileId);
      }
    } catch (e) {
      void Taro.showToast({ title: displayMessage(toApiError(e)), icon: 'none' });
    } finally {
      setProgress(null);
    }
  };
  const run = useAction(async (mode: ImportMode, fileId?: string) => {
    const r = await api.visits.importHouseholds({ communityId, fileId: fileId ?? file!.fileId, mode });
    setReport(r);
    if (r.applied) void Taro.showToast({ title: `已导入：新增 ${r.created} 户，更新 ${r.updated} 户`, icon: 'none' });
    return r;
  });

  const confirmValidOnly = async () => {
    const r = await Taro.showModal({
      title: '只导入正确的行？',
      content: `有 ${report!.badLines} 行有问题，将被跳过，只导入 ${report!.valid} 行。跳过的行改好后可以再次导入。`,
      confirmText: '只导入正确的行',
    });
    if (r.confirm) await run.run('apply_valid');
  };

  return (
    <Page id="page-ledger-import">
      <View className="section muted">
        请先下载模板，按模板填写后上传。同一地址（楼栋＋单元＋房号）再次导入会更新该户信息，不会重复建户。
      </View>
      <View className="actions">
        <Button id="import-template" block loading={template.loading} onClick={() => void template.run()}>
          下载导入模板
        </Button>
        <Button id="import-choose" type="primary" block disabled={progress !== null || run.loading} onClick={() => void choose()}>
          {progress !== null ? `上传中 ${progress}%` : file ? `重新选择文件（当前：${file.name}）` : '选择 Excel 文件并检查'}
        </Button>
      </View>
      {run.loading && <View className="muted center">正在检查…</View>}
      {report && (
        <View id="import-report" className="section">
          <View id="import-summary" className="section-title">
            {report.applied
              ? `导入完成：新增 ${report.created} 户，更新 ${report.updated} 户，未变化 ${report.unchanged} 户${report.badLines ? `，跳过 ${report.badLines} 行` : ''}`
              : `共 ${report.rows} 行：正确 ${report.valid} 行${report.badLines ? `，有问题 ${report.badLines} 行` : ''}`}
          </View>
          {report.issues.length > 0 && (
            <View id="import-issues">
              {report.issues.map((i, n) => (
                <View key={n} id={`import-issue-${n}`} className="field-error">
                  第 {i.line} 行「{i.column}」：{i.message}
                </View>
              ))}
              {report.issueCount > report.issues.length && <View className="meta">另有 {report.issueCount - report.issues.length} 个问题未列出</View>}
            </View>
          )}
          {!report.applied && report.badLines === 0 && report.valid > 0 && (
            <Button id="import-apply" type="primary" size="xlarge" block loading={run.loading} onClick={() => void run.run('apply')}>
              导入 {report.valid} 户
            </Button>
          )}
          {!report.applied && report.badLines > 0 && (
            <View>
              <View className="muted">文件有问题时不会导入任何一行。请改好后重新上传，或：</View>
              {report.valid > 0 && (
                <Button id="import-apply-valid" block loading={run.loading} onClick={() => void confirmValidOnly()}>
                  只导入正确的 {report.valid} 行
                </Button>
              )}
            </View>
          )}
        </View>
      )}
    </Page>
  );
}
