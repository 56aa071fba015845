import { useLocalI18n, type LocalI18n } from './local';

/** Texts of the bureau's rounds page (录取轮次), kept with it; a local scope following the app's language. */
const zhCN = {
  title: '录取轮次',
  intro: '录取作为后台任务运行：从数据库生成输入、运行录取程序、用独立的校验程序检查全部规则，再保存结果。模拟轮次用于比较不同政策，只有正式轮次可以发布。',
  start: {
    title: '开始新一轮',
    kind: '类型',
    name: '名称',
    namePlaceholder: '如：指标优先方案',
    quotaPrecedence: '指标生与统招的顺序',
    unusedQuota: '未用完的指标名额',
    tieBreak: '同分排序',
    submit: '开始运行',
  },
  kind: { main: '第一轮（正式）', supplementary: '补录', simulation: '模拟' },
  precedence: { openFirst: '先统招后指标（openFirst）', quotaFirst: '先指标后统招（quotaFirst）' },
  unused: { revert: '回流统招（revert）', keep: '保留空缺（keep）' },
  tieBreakOption: {
    standard: '语数外总分 → 数学 → 语文 → 综合素质评价',
    evaluationFirst: '综合素质评价 → 语数外总分 → 数学',
    none: '不设（直接按随机号）',
  },
  status: { queued: '排队中', running: '运行中', succeeded: '已完成', failed: '失败', published: '已发布' },
  list: { title: '本年度轮次', empty: '还没有运行过任何轮次', assigned: '录取 {n} 人', unassigned: '未录取 {n} 人', students: '参与 {n} 人' },
  invariants: { ok: '规则校验通过', failed: '规则校验未通过', pending: '尚未校验' },
  publish: {
    button: '发布结果',
    confirmTitle: '确认发布',
    confirmText: '发布后，全部考生和学校将同时看到录取结果和各校分数线，且不能撤回。确定发布“{name}”吗？',
    ok: '确定发布',
    cancel: '取消',
    done: '已发布',
    // Four eyes (PUBLISH_APPROVALS): two different city-bureau accounts publish a round.
    awaiting: '等待另一名市教育局账号批准（{count}/{required}）',
    approvedBy: '已批准：{names}',
    recorded: '已记录您的批准，还需另一名市教育局账号批准后才会发布（{count}/{required}）',
    fourEyes: '发布需要 {required} 名不同的市教育局账号批准；您的批准会先被记录。',
  },
  bundle: '下载数据包（输入、结果与 SHA-256）',
  compare: {
    title: '比较两个轮次',
    a: '方案 A',
    b: '方案 B',
    run: '比较',
    moved: '变动学生（{n} 人）',
    cutoffs: '各校录取最低分',
    quota: '各初中指标生录取人数',
    assigned: '录取人数：A {a} / B {b}',
    col: { student: '学生（准考证号）', junior: '初中', total: '总分', from: 'A 录取学校', to: 'B 录取学校' },
    none: '未录取',
    noMoves: '两个方案的录取结果相同',
    more: '仅显示前 {n} 人',
  },
  progress: '运行进度',
  stage: { queued: '排队等待', load: '读取数据', allocate: '分配计算', check: '规则校验', store: '保存结果', done: '完成' },
};

const en: typeof zhCN = {
  title: 'Allocation rounds',
  intro: 'A round runs as a background job: input built from the database, the engine, an independent check of every rule, then the stored result. Simulations compare policies; only real rounds can be published.',
  start: {
    title: 'Start a round',
    kind: 'Kind',
    name: 'Name',
    namePlaceholder: 'e.g. quota first',
    quotaPrecedence: 'Quota and open seats order',
    unusedQuota: 'Unused quota seats',
    tieBreak: 'Tie-break',
    submit: 'Run',
  },
  kind: { main: 'Round 1 (real)', supplementary: 'Supplementary', simulation: 'Simulation' },
  precedence: { openFirst: 'Open seats first (openFirst)', quotaFirst: 'Quota seats first (quotaFirst)' },
  unused: { revert: 'Revert to open seats (revert)', keep: 'Keep empty (keep)' },
  tieBreakOption: {
    standard: 'Chinese+math+English → math → Chinese → evaluation',
    evaluationFirst: 'Evaluation → Chinese+math+English → math',
    none: 'None (lottery number only)',
  },
  status: { queued: 'Queued', running: 'Running', succeeded: 'Finished', failed: 'Failed', published: 'Published' },
  list: { title: 'Rounds this year', empty: 'No round has run yet', assigned: '{n} placed', unassigned: '{n} unplaced', students: '{n} students' },
  invariants: { ok: 'Invariants checked', failed: 'Invariant check failed', pending: 'Not checked yet' },
  publish: {
    button: 'Publish',
    confirmTitle: 'Publish the results',
    confirmText: 'Every student and school will see the results and cutoffs at once; this cannot be undone. Publish "{name}"?',
    ok: 'Publish',
    cancel: 'Cancel',
    done: 'Published',
    awaiting: 'Awaiting a second approval ({count}/{required})',
    approvedBy: 'Approved by {names}',
    recorded: 'Your approval is recorded; a different city-bureau account must approve before it is published ({count}/{required})',
    fourEyes: 'Publishing takes {required} different city-bureau accounts; your approval is recorded first.',
  },
  bundle: 'Download bundle (input, result, SHA-256)',
  compare: {
    title: 'Compare two rounds',
    a: 'Policy A',
    b: 'Policy B',
    run: 'Compare',
    moved: 'Students who move ({n})',
    cutoffs: 'Cutoff per school',
    quota: 'Quota seats used per junior school',
    assigned: 'Placed: A {a} / B {b}',
    col: { student: 'Student (exam no.)', junior: 'Junior school', total: 'Total', from: 'School in A', to: 'School in B' },
    none: 'Unplaced',
    noMoves: 'Both policies give the same result',
    more: 'First {n} shown',
  },
  progress: 'Progress',
  stage: { queued: 'Waiting in the queue', load: 'Loading', allocate: 'Allocating', check: 'Checking the rules', store: 'Storing the result', done: 'Done' },
};

export const roundsMessages = { 'zh-CN': zhCN, en };

export function useRoundsI18n(): LocalI18n {
  return useLocalI18n(roundsMessages);
}
