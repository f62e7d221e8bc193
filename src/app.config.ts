// The sign-in page exists only in H5 (demo sign-in); WeChat knows who the caller is.
const h5Only = process.env.TARO_ENV === 'h5' ? ['pages/login/index'] : [];

export default defineAppConfig({
  pages: [
    'pages/index/index',
    ...h5Only,
    'pages/join/index',
    'pages/redeem/index',
    'pages/suggest/index',
    'pages/mine/index',
    'pages/suggestion/index',
  ],
  // Staff pages: residents never download them.
  subPackages: [
    {
      root: 'packages/admin',
      pages: ['inbox/index', 'detail/index', 'stats/index', 'invite/index', 'outbox/index', 'audit/index'],
    },
    // 调查问卷: residents answer in their own sub-package (no admin code); the builder and results apart.
    { root: 'packages/survey', pages: ['answer/index'] },
    { root: 'packages/surveys-admin', pages: ['list/index', 'build/index', 'results/index'] },
    // 入户走访: the grid worker's pages, and the community admin's coverage, feed, ledger import and grids.
    { root: 'packages/grid', pages: ['day/index', 'households/index', 'household/index', 'visit/index', 'outbox/index', 'household-edit/index', 'visit-view/index'] },
    { root: 'packages/visits-admin', pages: ['coverage/index', 'feed/index', 'import/index', 'grids/index'] },
    // 需求清单 and 四议两公开: the community admin's pages; residents read the year's board in their own small package.
    { root: 'packages/matters-admin', pages: ['demands/index', 'demand/index', 'procedure/index', 'committee/index', 'meetings/index', 'meeting/index', 'settings/index', 'closing/index', 'plan/index'] },
    { root: 'packages/matters', pages: ['board/index', 'notice/index', 'result/index', 'matter/index', 'result-sheet/index'] },
    // 共建单位: a unit contact's home; district and community admins' registry, unit page and a matter's units.
    { root: 'packages/units', pages: ['home/index', 'list/index', 'unit/index', 'form/index', 'matters/index', 'assign/index', 'progress/index'] },
    // 领导认领: a leader's claims and notes; the claim wall of a district or the city.
    { root: 'packages/leader', pages: ['claims/index', 'claim/index', 'wall/index', 'record/index'] },
    // 孝义食堂 community admin: elders, roster import, prices (kept out of the independent counter package's budget).
    { root: 'packages/canteen-admin', pages: ['elders/index', 'elder/index', 'import/index', 'prices/index'] },
    // 孝义食堂. Independent (独立分包): the counter's mini-program code opens the check-in page without
    // downloading the main package.
    {
      root: 'packages/canteen',
      pages: ['checkin/index', 'report/index', 'cards/index'],
      independent: true,
    },
  ],
  window: {
    backgroundTextStyle: 'dark',
    backgroundColor: '#f5f6f7',
    navigationBarBackgroundColor: '#c8161d',
    navigationBarTitleText: '社区实事',
    navigationBarTextStyle: 'white',
  },
});
