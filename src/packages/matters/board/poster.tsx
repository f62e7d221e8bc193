import Taro from '@tarojs/taro';
import { Image, View } from '@tarojs/components';
import { useState } from 'react';
import { cnDate } from '../../../features/matters/notice.rules';
import type { PosterInput } from '../../../features/matters/poster.rules';
import type { SlateView } from '../../../features/matters/matters.schema';
import { Button } from '../../../components/nut/button';
import { PosterCanvas, renderPoster, SAVE_LABEL, savePoster } from './poster-surface';

type Phase = { kind: 'idle' } | { kind: 'drawing' } | { kind: 'ready'; src: string } | { kind: 'failed' };

/** 生成海报 of the fixed list: drawn on a canvas (see poster-surface), shown as an image, saved or downloaded. */
export function PosterSection({ v, communityName }: { v: SlateView; communityName: string }) {
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [saving, setSaving] = useState(false);
  const input: PosterInput = {
    communityName,
    year: v.year,
    titles: v.items.map((i) => i.title),
    footer: `清单于${cnDate(v.fixedAt ?? '')}确定 · ${communityName}居民委员会`,
  };
  const draw = async () => {
    setPhase({ kind: 'drawing' });
    try {
      const out = await renderPoster(input);
      setPhase({ kind: 'ready', src: out.src });
    } catch {
      setPhase({ kind: 'failed' });
    }
  };
  const save = async (src: string) => {
    setSaving(true);
    try {
      const r = await savePoster(src, `${communityName}${v.year}年十件实事.png`);
      if (r === 'saved') void Taro.showToast({ title: '海报已保存', icon: 'success' });
      else if (r === 'denied') void Taro.showToast({ title: '未获得相册权限，海报未保存', icon: 'none' });
    } catch {
      void Taro.showToast({ title: '保存失败，请稍后再试', icon: 'none' });
    } finally {
      setSaving(false);
    }
  };
  return (
    <View id="board-poster" className="section">
      <View className="section-title">分享海报</View>
      {phase.kind === 'drawing' && <PosterCanvas height={1600} />}
      {phase.kind === 'ready' ? (
        <>
          <Image id="poster-image" className="poster-image" src={phase.src} mode="widthFix" showMenuByLongpress ariaLabel={`${communityName}${v.year}年十件实事海报`} />
          <Button id="poster-save" type="primary" size="large" block loading={saving} onClick={() => void save(phase.src)}>
            {SAVE_LABEL}
          </Button>
        </>
      ) : (
        <Button id="poster-make" type="primary" size="large" block loading={phase.kind === 'drawing'} onClick={() => void draw()}>
          生成海报
        </Button>
      )}
      {phase.kind === 'failed' && (
        <View id="poster-error" className="board-error" role="alert">
          海报生成失败，请重试
        </View>
      )}
    </View>
  );
}
