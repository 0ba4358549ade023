import { useMe } from '../../api/auth';
import { useOrgNodes } from '../../api/org';
import { accessOf } from '../../access';

/**
 * The catalogue is bank-wide (PRODUCT.WRITE_SCOPE): product.write counts only when the person holds a
 * grant at province level or above. `/auth/me` does not say which grant carries the permission, so
 * this hides the buttons from people whose grants are all below province level; the server decides.
 */
export function useCanWriteProducts(): boolean {
  const { data: me } = useMe();
  const nodes = useOrgNodes();
  if (!accessOf(me).canWriteProducts) return false;
  const level = new Map((nodes.data ?? []).map((n) => [n.id, n.level]));
  return (me?.grants ?? []).some((g) => {
    const l = level.get(g.scopeNodeId);
    return l === 'head' || l === 'province';
  });
}
