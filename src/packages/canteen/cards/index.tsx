import { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { api } from '../../../client/api';
import { useQuery } from '../../../client/hooks';
import { Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { groupCode } from '../../../features/canteen/canteen.token';
import { Qr } from '../../../components/qr';
import './index.scss';

const STATUS_TEXT: Record<string, string> = {
  applied: '申请已提交，等待社区审核',
  approved: '',
  rejected: '申请未通过，请联系社区',
  suspended: '助餐已暂停，请联系社区',
  moved: '已迁出',
  deceased: '已注销',
};

/**
 * Without parameters: the cards of the elders this person applied for (their own or a parent's),
 * to show at the counter. With `communityId`: the community admin's printable sheet (name, community,
 * QR and code; never the ID number).
 */
export default function Cards() {
  const params = useRouter().params;
  const communityId = params.communityId ? decodeURIComponent(params.communityId) : null;
  const cards = useQuery(
    async () => (communityId ? (await api.canteen.cardSheet({ communityId })).items.map((c) => ({ ...c, status: 'approved' })) : (await api.canteen.myCards({})).items),
    [communityId],
  );
  return (
    <Page id="page-cards" className={communityId ? 'cards-print' : ''}>
      {cards.error ? (
        <ErrorState error={cards.error} onRetry={() => void cards.run()} />
      ) : !cards.data ? (
        <LoadingState />
      ) : cards.data.length === 0 ? (
        <EmptyState text={communityId ? '本社区还没有审核通过的助餐对象' : '您还没有助餐卡。可以为自己或家中老人申请。'} />
      ) : (
        <View className="cards-grid">
          {cards.data.map((c, i) => (
            <View key={c.elderId} id={`card-${i}`} className="meal-card">
              <View className="meal-card-title">孝义食堂助餐卡</View>
              <View className="meal-card-name">{c.name}</View>
              <View className="meta">{c.communityName}</View>
              {c.code ? (
                <>
                  <Qr text={c.code} size={communityId ? 180 : 260} label="助餐码二维码" id={`card-qr-${i}`} />
                  <View id={`card-code-${i}`} className="meal-card-code">
                    {groupCode(c.code)}
                  </View>
                </>
              ) : (
                <View className="muted">{STATUS_TEXT[c.status] ?? ''}</View>
              )}
            </View>
          ))}
        </View>
      )}
    </Page>
  );
}
