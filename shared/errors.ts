/**
 * Stable error codes with their Chinese and English messages. Clients switch on `code`;
 * people read `message`. A code, once published, is never renamed.
 */
export const ERRORS = {
  'REQUEST.MALFORMED': { status: 400, zh: '请求格式错误，无法解析', en: 'The request body could not be parsed' },
  'REQUEST.INVALID': { status: 400, zh: '请求参数不符合要求', en: 'The request is invalid' },
  'REQUEST.UNSUPPORTED_MEDIA': { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  'REQUEST.TOO_LARGE': { status: 413, zh: '请求内容过大', en: 'The request is too large' },
  'REQUEST.RATE_LIMITED': { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  'ROUTE.NOT_FOUND': { status: 404, zh: '接口不存在', en: 'No such endpoint' },
  'AUTH.REQUIRED': { status: 401, zh: '请先登录', en: 'Please sign in' },
  'AUTH.BAD_CREDENTIALS': { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  'AUTH.LOCKED': { status: 423, zh: '密码错误次数过多，账户已锁定，请稍后再试', en: 'Too many failed attempts; the account is locked for a while' },
  'AUTH.DISABLED': { status: 403, zh: '账户已停用', en: 'The account is disabled' },
  'AUTH.SESSION_EXPIRED': { status: 401, zh: '会话已超时，请重新登录', en: 'Your session has expired; please sign in again' },
  'AUTH.CSRF': { status: 403, zh: '安全校验失败，请刷新页面后重试', en: 'Security check failed; reload the page and try again' },
  'AUTH.FORBIDDEN': { status: 403, zh: '没有执行此操作的权限', en: 'You are not allowed to do this' },
  'AUTH.OUT_OF_SCOPE': { status: 403, zh: '无权访问本机构范围以外的数据', en: 'That record is outside your organisation' },
  'AUTH.WEAK_PASSWORD': { status: 400, zh: '密码不符合安全要求', en: 'The password does not meet the policy' },
  'AUTH.WRONG_PASSWORD': { status: 400, zh: '原密码不正确', en: 'The current password is wrong' },
  'AUTH.PASSWORD_REUSED': { status: 400, zh: '新密码不能与原密码相同', en: 'The new password must differ from the current one' },
  'ORG.NOT_FOUND': { status: 404, zh: '机构不存在', en: 'No such organisation node' },
  'ORG.BAD_PARENT': { status: 400, zh: '上级机构层级不正确', en: 'The parent node has the wrong level' },
  'ORG.CODE_TAKEN': { status: 409, zh: '机构代码已存在', en: 'The organisation code is already used' },
  'ORG.HAS_CHILDREN': { status: 409, zh: '机构下仍有下级机构或员工，不能删除', en: 'The node still has children or staff' },
  'DEPT.NOT_FOUND': { status: 404, zh: '部门不存在', en: 'No such department' },
  'DEPT.CODE_TAKEN': { status: 409, zh: '该机构下部门代码已存在', en: 'The department code is already used in this branch' },
  'DEPT.NOT_A_BRANCH': { status: 400, zh: '部门只能设在省分行或二级分行', en: 'Departments belong to a provincial or tier-2 branch' },
  'DEPT.IN_USE': { status: 409, zh: '部门下仍有员工，不能删除', en: 'The department still has staff' },
  'STAFF.NOT_FOUND': { status: 404, zh: '员工不存在', en: 'No such staff member' },
  'STAFF.NO_TAKEN': { status: 409, zh: '工号已存在', en: 'The staff number is already used' },
  'STAFF.DEPT_MISMATCH': { status: 400, zh: '部门不属于该员工所在机构', en: 'The department is not in the staff member’s branch' },
  'ROLE.UNKNOWN': { status: 400, zh: '未知角色', en: 'Unknown role' },
  'ROLE.SCOPE_TOO_WIDE': { status: 403, zh: '不能授予超出本人管辖范围的角色', en: 'You cannot grant a role beyond your own scope' },
  'COMMITTEE.NOT_A_BRANCH': { status: 400, zh: '交叉营销管理委员会只设在分行', en: 'Committees exist only at branch level' },
  'SETTING.UNKNOWN': { status: 404, zh: '未知参数', en: 'Unknown setting' },
  'IMPORT.UNKNOWN_KIND': { status: 404, zh: '未知的导入类型', en: 'Unknown import type' },
  'IMPORT.TOO_LARGE': { status: 413, zh: '文件超过大小上限', en: 'The file is larger than allowed' },
  'IMPORT.BAD_FILE': { status: 400, zh: '文件无法读取，请使用 .xlsx 或 .csv 模板', en: 'The file cannot be read; use the .xlsx or .csv template' },
  'IMPORT.NO_HEADER': { status: 400, zh: '未找到表头行，请使用下载的模板', en: 'No header row found; use the downloaded template' },
  'IMPORT.NO_FILE': { status: 400, zh: '请上传文件', en: 'Please upload a file' },
  'IMPORT.NOT_FOUND': { status: 404, zh: '导入任务不存在', en: 'No such import' },
  'IMPORT.NO_ERRORS': { status: 404, zh: '该导入没有错误报告', en: 'This import has no error report' },
  'INTERNAL': { status: 500, zh: '系统内部错误，请联系管理员', en: 'Internal error; please contact the administrator' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof ERRORS;
export type Lang = 'zh-CN' | 'en';
