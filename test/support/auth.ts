/**
 * How a test client proves who it is. The one place that knows: today demarc takes the
 * X-Demarc-User header; the login work replaces this function (a session cookie or a bearer
 * token), not the tests that call it.
 */
export async function authHeaders(_baseUrl: string, userId: string): Promise<Record<string, string>> {
  return { 'x-demarc-user': userId };
}

/** The users the test configs define, one per role, for tests that call authHeaders(). */
export const TEST_USERS = [
  { id: 'viewer.zhao', name: '赵（只读）', roles: ['viewer'] },
  { id: 'noc.zhang', name: '张工（NOC 值班）', roles: ['operator'] },
  { id: 'mgr.li', name: '李主任（审批）', roles: ['approver'] },
  { id: 'audit.chen', name: '陈（审计）', roles: ['auditor'] },
  { id: 'admin', name: '管理员', roles: ['admin'] },
] as const;
