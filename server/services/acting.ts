import type { Principal } from '../auth/sessions.ts';
import type { Role } from '../../shared/api/index.ts';

/** Who is acting, with their role in the plan (checked by the route). */
export interface Acting {
  principal: Principal;
  role: Role;
}
