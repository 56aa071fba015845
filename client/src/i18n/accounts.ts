import { useLocalI18n, type LocalI18n } from './local';

/**
 * Texts of the account pages (first sign-in with an activation code, the
 * junior school's 学生账号 and the bureau's 账号管理), kept with them; a local
 * scope following the app's language.
 */
const zhCN = {
  activate: {
    title: '首次登录 / 激活账号',
    subtitle: '输入账号条上的账号和激活码，设置自己的密码后即可登录。',
    username: '准考证号或账号',
    usernamePlaceholder: '学生填准考证号',
    code: '激活码',
    codePlaceholder: '账号条上的激活码',
    codeHelp: '激活码只能使用一次，过期或遗失请向所在初中学校（学生）或教育局（学校）重新领取；重新领取后旧激活码失效。',
    newPassword: '设置新密码',
    confirmPassword: '再次输入新密码',
    passwordHint: '8 至 128 位，须同时包含字母和数字，不能包含账号。',
    submit: '激活并登录',
    submitting: '正在激活…',
    done: '密码已设置，请用新密码登录。',
    toLogin: '已有密码？返回登录',
    required: {
      username: '请输入准考证号或账号',
      code: '请输入激活码',
      newPassword: '请输入新密码',
    },
    mismatch: '两次输入的新密码不一致',
    forgotTitle: '忘记密码？',
    forgotText: '学生请联系所在初中学校，学校请联系教育局，领取新的激活码后在本页重新设置密码。',
  },
  issued: {
    title: '新的激活码（只显示这一次）',
    warning: '激活码只显示这一次，请立即抄写或下载账号条并交给本人。新激活码生效后，此前未使用的激活码全部作废。',
    replaces: '将为 {name} 生成新的激活码，此前未使用的激活码会作废（已设置的密码在对方用新激活码重设前仍然有效）。确定继续吗？',
    replaceTitle: '重置账号',
    count: '已生成 {n} 个激活码',
    expires: '有效期至 {at}',
    close: '我已记下，关闭',
    confirm: '确定',
    cancel: '取消',
    col: { username: '账号', name: '姓名', code: '激活码', expiresAt: '有效期至' },
  },
  slips: {
    downloading: '正在生成账号条…',
    downloaded: '已下载 {file}，其中的激活码已生效，此前未使用的激活码已作废。',
  },
  junior: {
    nav: '学生账号',
    title: '学生账号',
    intro: '学生首次登录需要激活码。可为全校学生一次生成激活码并下载账号条（Excel）打印、裁开发给学生；学生忘记密码时，为其单独重置，生成新的激活码。',
    allTitle: '全校学生账号条',
    allText: '为本校全部 {n} 名学生生成新的激活码，并下载可打印的账号条。此前未使用的激活码会作废。',
    allButton: '生成并下载全部账号条',
    allConfirm: '将为本校全部 {n} 名学生生成新的激活码，此前发出但未使用的激活码全部作废。确定继续吗？',
    listTitle: '学生名单（{n} 人）',
    search: '搜索姓名或准考证号',
    reset: '重置',
    empty: '本校暂无学生',
    col: { examNo: '准考证号', name: '姓名', action: '账号', activated: '是否激活' },
    activated: '已激活',
    notActivated: '未激活',
  },
  bureau: {
    nav: '账号管理',
    title: '账号管理',
    intro: '导入的学校、教育局和学生账号没有可用密码，须凭一次性激活码首次登录。在此为账号生成激活码：可直接查看，或下载可打印的账号条（Excel）。忘记密码也在此重置。',
    target: '为谁生成',
    targets: {
      high: '全部高中学校账号',
      junior: '全部初中学校账号',
      county: '全部区县教育局账号',
      school: '某所初中的全部学生',
      usernames: '指定账号',
    },
    juniorSchoolId: '初中学校代码',
    juniorSchoolIdPlaceholder: '如 J0101',
    usernames: '账号（每行一个，或用逗号分隔）',
    usernamesPlaceholder: 'h01\nj0101\n2026430201001',
    usernamesCount: '共 {n} 个账号',
    show: '生成并显示',
    download: '生成并下载账号条',
    confirm: '将为“{target}”生成新的激活码，此前未使用的激活码全部作废。确定继续吗？',
    resetTitle: '重置单个账号',
    resetText: '账号忘记密码或激活码遗失时，为其生成新的激活码（只显示一次）。',
    resetUsername: '账号',
    resetButton: '重置',
    required: {
      juniorSchoolId: '请输入初中学校代码',
      usernames: '请输入至少一个账号',
      resetUsername: '请输入要重置的账号',
    },
    tooMany: '一次最多 {max} 个账号',
  },
  retry: '重试',
};

const en: typeof zhCN = {
  activate: {
    title: 'First sign-in / activate account',
    subtitle: 'Enter the username and activation code from your account slip, then choose your own password.',
    username: 'Exam number or username',
    usernamePlaceholder: 'Students: your exam number',
    code: 'Activation code',
    codePlaceholder: 'The code on your account slip',
    codeHelp:
      'A code works once. If it has expired or is lost, ask your junior school (students) or the education bureau (schools) for a new one; a new code voids the old one.',
    newPassword: 'New password',
    confirmPassword: 'New password again',
    passwordHint: '8 to 128 characters, with a letter and a digit, not containing the username.',
    submit: 'Activate and sign in',
    submitting: 'Activating…',
    done: 'Your password is set. Sign in with it.',
    toLogin: 'Have a password? Back to sign-in',
    required: {
      username: 'Enter your exam number or username',
      code: 'Enter the activation code',
      newPassword: 'Enter a new password',
    },
    mismatch: 'The two new passwords differ',
    forgotTitle: 'Forgot your password?',
    forgotText:
      'Students ask their junior school, schools ask the education bureau, for a new activation code; then set a new password on this page.',
  },
  issued: {
    title: 'New activation codes (shown only this once)',
    warning:
      'These codes are shown only this once: write them down or download the slips now and hand them over. Any earlier unused code of these accounts no longer works.',
    replaces:
      'A new activation code will be issued for {name}; any earlier unused code stops working (a password already set keeps working until the new code is used). Continue?',
    replaceTitle: 'Reset account',
    count: '{n} codes issued',
    expires: 'Valid until {at}',
    close: 'I have noted them, close',
    confirm: 'Continue',
    cancel: 'Cancel',
    col: { username: 'Username', name: 'Name', code: 'Activation code', expiresAt: 'Valid until' },
  },
  slips: {
    downloading: 'Preparing the account slips…',
    downloaded: 'Downloaded {file}. Its codes are in force; earlier unused codes no longer work.',
  },
  junior: {
    nav: 'Student accounts',
    title: 'Student accounts',
    intro:
      'Students sign in for the first time with an activation code. Issue codes for every student at once and download the account slips (Excel) to print and hand out; reset one student who forgot the password.',
    allTitle: 'Account slips for the whole school',
    allText: 'Issues new activation codes for all {n} students of your school and downloads printable account slips. Earlier unused codes stop working.',
    allButton: 'Issue and download all slips',
    allConfirm: 'New activation codes will be issued for all {n} students of your school; every earlier unused code stops working. Continue?',
    listTitle: 'Students ({n})',
    search: 'Search by name or exam number',
    reset: 'Reset',
    empty: 'No students at your school yet',
    col: { examNo: 'Exam no.', name: 'Name', action: 'Account', activated: 'Activated' },
    activated: 'Activated',
    notActivated: 'Not yet',
  },
  bureau: {
    nav: 'Accounts',
    title: 'Accounts',
    intro:
      'Imported school, bureau and student accounts have no usable password: they sign in for the first time with a one-time activation code. Issue codes here, shown on screen or as printable account slips (Excel). A forgotten password is reset here too.',
    target: 'Issue for',
    targets: {
      high: 'All high-school accounts',
      junior: 'All junior-school accounts',
      county: 'All county-bureau accounts',
      school: 'All students of one junior school',
      usernames: 'Listed accounts',
    },
    juniorSchoolId: 'Junior school code',
    juniorSchoolIdPlaceholder: 'e.g. J0101',
    usernames: 'Usernames (one per line, or separated by commas)',
    usernamesPlaceholder: 'h01\nj0101\n2026430201001',
    usernamesCount: '{n} accounts',
    show: 'Issue and show',
    download: 'Issue and download slips',
    confirm: 'New activation codes will be issued for "{target}"; every earlier unused code stops working. Continue?',
    resetTitle: 'Reset one account',
    resetText: 'When someone forgot the password or lost the code, issue a new code (shown once).',
    resetUsername: 'Username',
    resetButton: 'Reset',
    required: {
      juniorSchoolId: 'Enter a junior school code',
      usernames: 'Enter at least one username',
      resetUsername: 'Enter the username to reset',
    },
    tooMany: 'At most {max} usernames at a time',
  },
  retry: 'Retry',
};

export const accountsMessages = { 'zh-CN': zhCN, en };

export function useAccountsI18n(): LocalI18n {
  return useLocalI18n(accountsMessages);
}
