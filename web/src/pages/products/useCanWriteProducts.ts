import { useMe } from '../../api/auth';
import { accessOf } from '../../access';

/**
 * The catalogue is bank-wide (PRODUCT.WRITE_SCOPE): product.write counts only when held at province
 * level or above, which `/auth/me` tells (`bankWide`). The server decides either way.
 */
export function useCanWriteProducts(): boolean {
  const { data: me } = useMe();
  return accessOf(me).canWriteProducts;
}
