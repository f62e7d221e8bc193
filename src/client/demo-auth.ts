/** H5 demo sign-in against the local host in demo mode (the weapp build has no sign-in page). */
import { postJson } from './transport';
import { setSession } from './session';

export interface DemoPersonView {
  openid: string;
  name: string;
  label: string;
}

/** GET /auth/demo-people → `{ ok, data: { items: [{ openid, name, label }] } }` (a bare array is accepted too). */
export const listDemoPeople = async (): Promise<DemoPersonView[]> => {
  const data = (await postJson('/auth/demo-people', undefined, 'GET')) as
    | DemoPersonView[]
    | { items?: DemoPersonView[]; people?: DemoPersonView[] };
  const list = Array.isArray(data) ? data : (data.items ?? data.people ?? []);
  return list.map((p) => ({ openid: p.openid, name: p.name ?? '', label: p.label ?? p.name ?? p.openid }));
};

/** POST /auth/demo `{ openid }` → `{ ok, data: { token } }`; the token is kept in storage. */
export const demoSignIn = async (person: DemoPersonView): Promise<void> => {
  const data = (await postJson('/auth/demo', { openid: person.openid })) as { token: string; openid?: string };
  setSession({ token: data.token, openid: data.openid ?? person.openid, label: person.label });
};
