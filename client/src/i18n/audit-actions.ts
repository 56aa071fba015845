/**
 * The audit log's action codes in words (审计日志操作名称), zh-CN first: the
 * one home of this table (the server stores and filters codes only). An
 * action not listed here is shown by its area's name and its code, so a new
 * action is readable before it gets a line of its own.
 */
type Words = readonly [zh: string, en: string];

export const AUDIT_ACTIONS: Record<string, Words> = {
  'application.save': ['保存志愿', 'Saved choices'],
  'confirmation.confirm': ['确认录取', 'Confirmed the seat'],
  'confirmation.decline': ['放弃录取', 'Declined the seat'],
  'auth.login': ['登录', 'Signed in'],
  'auth.logout': ['退出登录', 'Signed out'],
  'auth.activate': ['激活账号', 'Activated the account'],
  'auth.password_change': ['修改密码', 'Changed the password'],
  'auth.refresh_reuse': ['登录凭证被重复使用（已注销）', 'Sign-in token reused (signed out)'],
  'auth.totp_enable': ['开启两步验证', 'Turned on two-step sign-in'],
  'auth.totp_disable': ['关闭两步验证', 'Turned off two-step sign-in'],
  'auth.totp_verify_failure': ['两步验证码错误', 'Wrong two-step code'],
  'account.bootstrap': ['创建首个教育局账号', 'Created the first bureau account'],
  'account.issue_activation_codes': ['发放激活码', 'Issued activation codes'],
  'cycle.create': ['创建招生年度', 'Created the admission year'],
  'cycle.schedule.update': ['修改日程', 'Changed the schedule'],
  'cycle.schedule.end-current': ['提前结束当前阶段', 'Ended the current window now'],
  'cycle.seed.commit': ['公布抽签种子哈希', 'Published the lottery seed hash'],
  'cycle.seed.set': ['设置抽签种子', 'Set the lottery seed'],
  'demo.load': ['载入演示数据', 'Loaded the demo city'],
  'import.regions': ['导入区县', 'Imported regions'],
  'import.junior-schools': ['导入初中学校', 'Imported junior schools'],
  'import.high-schools': ['导入高中学校及招生计划', 'Imported high schools and plans'],
  'import.students': ['导入考生、学籍与成绩', 'Imported students and scores'],
  'plan.update': ['修改招生计划', 'Changed a plan'],
  'plan.change.request': ['申请修改招生计划', 'Asked to change a plan'],
  'plan.change.approve': ['批准招生计划修改', 'Approved a plan change'],
  'plan.change.approval': ['同意招生计划修改（待第二人批准）', 'Approved a plan change (a second approval pending)'],
  'plan.change.reject': ['驳回招生计划修改', 'Rejected a plan change'],
  'quota.compute': ['计算指标生名额', 'Computed quota seats'],
  'junior.weight.update': ['修改初中指标分配权重', "Changed a junior school's quota weight"],
  'round.start': ['开始录取轮次', 'Started a round'],
  'round.publish': ['发布录取结果', 'Published a round'],
  'round.publish.approve': ['同意发布录取结果', 'Approved publishing a round'],
  'registration.import': ['导入学籍注册名单', 'Imported a registration list'],
  'registration.manual': ['登记学籍注册', 'Registered students'],
  'flags.detect': ['运行违规检测', 'Ran flag detection'],
  'flag.review': ['审核违规线索', 'Reviewed a flag'],
  'complaint.submit': ['群众举报', 'A family filed a report'],
  'kindergarten.filing.submit': ['幼儿园提交备案', 'A kindergarten filed a change'],
  'kindergarten.filing.approve': ['通过幼儿园备案', 'Approved a kindergarten filing'],
  'kindergarten.filing.return': ['退回幼儿园备案', 'Returned a kindergarten filing'],
};

/** Names of the areas (the part before the first dot): the filter's choices and the fallback. */
export const AUDIT_AREAS: Record<string, Words> = {
  application: ['志愿', 'Choices'],
  confirmation: ['录取确认', 'Confirmations'],
  auth: ['登录与账号安全', 'Sign-in and security'],
  account: ['账号', 'Accounts'],
  cycle: ['年度与日程', 'Year and schedule'],
  demo: ['演示数据', 'Demo data'],
  import: ['导入', 'Imports'],
  plan: ['招生计划', 'Plans'],
  quota: ['指标生名额', 'Quota seats'],
  junior: ['初中', 'Junior schools'],
  round: ['录取轮次', 'Rounds'],
  registration: ['学籍注册', 'Registration'],
  flags: ['违规检测', 'Flag detection'],
  flag: ['违规线索', 'Flags'],
  complaint: ['举报', 'Reports'],
  kindergarten: ['幼儿园', 'Kindergartens'],
};

const pick = (words: Words, locale: string) => (locale === 'en' ? words[1] : words[0]);

/** An action code in words in `locale` ('zh-CN' or 'en'). */
export function auditActionText(action: string, locale: string): string {
  const known = AUDIT_ACTIONS[action];
  if (known) return pick(known, locale);
  const area = AUDIT_AREAS[action.split('.')[0]];
  return area ? `${pick(area, locale)} · ${action}` : action;
}

/** An area's name in `locale`. */
export function auditAreaText(area: string, locale: string): string {
  const known = AUDIT_AREAS[area];
  return known ? pick(known, locale) : area;
}
