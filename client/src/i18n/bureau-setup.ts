import { useLocalI18n, type LocalI18n } from './local';

/** Texts of the bureau's setup pages (schedule, imports, plans, quotas), kept with them. */
const zhCN = {
  title: '年度准备',
  home: '返回首页',
  subtitle: '招生日程、数据导入、招生计划与指标生名额分配',
  tabs: { schedule: '招生日程', imports: '数据导入', plans: '招生计划', quotas: '指标生名额' },
  schedule: {
    current: '当前阶段', closesIn: '本阶段剩余', noCycle: '当前没有招生年度', phase: '阶段', opensAt: '开始时间', closesAt: '结束时间',
    save: '保存日程', saved: '日程已保存', pastIsFixed: '已经结束的阶段不能修改；正在进行和尚未开始的阶段可以调整（如延长或提前截止），每次修改都记入操作日志', closedReadOnly: '本年度已结束，日程只读', serverTime: '服务器时间',
    timeline: '年度日程时间轴', now: '现在', endNow: '立即结束本阶段', emptyWindow: '时长为零或为负',
    endNote: '「{current}」现在结束，「{next}」现在开始；其后各阶段时间不变',
    endConfirm: '确定现在结束「{current}」并开始「{next}」吗？「{next}」的结束时间不变，其他阶段不受影响；此操作记入操作日志。',
    ended: '「{current}」已结束，现在是「{next}」',
  },
  imports: {
    kind: '导入内容', template: '下载模板', choose: '选择文件（.xlsx 或 .csv）', upload: '上传并导入', uploading: '正在导入…',
    done: '导入成功：{n} 条记录', queued: '文件较大（{n} 行），已转入后台导入', progress: '导入进度', problems: '发现 {n} 处错误，未写入任何数据',
    row: '行', column: '列', reason: '原因', noFile: '请先选择文件', allOrNothing: '每行都会校验；只要有一处错误，整个文件都不会写入。',
    kindLabel: '导入内容',
    kinds: { regions: '区县', 'junior-schools': '初中学校', 'high-schools': '高中学校及招生计划', students: '考生、学籍、成绩与综合素质评价' },
  },
  plans: {
    school: '学校', capacity: '计划人数', classes: '班级数', batch: '批次', scope: '招生范围', ownership: '办学性质', quota: '指标生名额',
    minScore: '最低分数线', minEvaluation: '最低评价', quotaPercent: '指标生比例(%)', quotaSeats: '指标生名额(人)', quotaMinScore: '指标生最低分',
    quotaMinEvaluation: '指标生最低评价', minPerSchool: '每所初中最少', quality: '示范性高中', edit: '编辑', save: '保存', cancel: '取消',
    saved: '招生计划已保存', empty: '还没有招生计划，请先导入高中学校及招生计划', classRule: '班额不得超过 55 人：计划人数 ≤ 班级数 × 55（当前上限 {max}）',
    warnings: '提醒', city: '全市', region: '属地', public: '公办', private: '民办', none: '不限',
    notApplicable: '不适用', quotaOnlyQuality: '指标生名额只适用于示范性高中',
  },
  quotas: {
    compute: '按规则计算指标生名额', computed: '已计算：{h} 所高中向 {j} 所初中分配 {n} 个名额', byHigh: '按高中', byJunior: '按初中',
    export: '导出 Excel', total: '合计', seats: '名额', graduates: '毕业生', empty: '还没有指标生名额，请先计算', publishNote: '名额表从“招生计划公布”阶段起向所有人公开。',
  },
  common: { loading: '加载中…', retry: '重试', cancel: '取消' },
};

const en: typeof zhCN = {
  title: 'Year setup',
  home: 'Back to home',
  subtitle: 'Schedule, data imports, plans and quota seats',
  tabs: { schedule: 'Schedule', imports: 'Imports', plans: 'Plans', quotas: 'Quota seats' },
  schedule: {
    current: 'Current phase', closesIn: 'Time left in this phase', noCycle: 'There is no admissions cycle', phase: 'Phase', opensAt: 'Opens', closesAt: 'Closes',
    save: 'Save schedule', saved: 'Schedule saved', pastIsFixed: 'Windows already over cannot change; the open window and those ahead can be moved (e.g. to extend or close a deadline), each change is in the audit log', closedReadOnly: 'This cycle is closed: the schedule is read-only', serverTime: 'Server time',
    timeline: 'The year\'s schedule', now: 'Now', endNow: 'End this phase now', emptyWindow: 'Empty or negative',
    endNote: '“{current}” ends now and “{next}” starts now; the phases after it keep their times',
    endConfirm: 'End “{current}” now and start “{next}”? “{next}” keeps its end; nothing else moves. This is recorded in the audit log.',
    ended: '“{current}” has ended; “{next}” is open now',
  },
  imports: {
    kind: 'What to import', template: 'Download template', choose: 'Choose a file (.xlsx or .csv)', upload: 'Upload and import', uploading: 'Importing…',
    done: 'Imported {n} records', queued: 'Large file ({n} rows): importing in the background', progress: 'Progress', problems: '{n} problem(s) found; nothing was imported',
    row: 'Row', column: 'Column', reason: 'Reason', noFile: 'Choose a file first', allOrNothing: 'Every row is checked; if any row is wrong, nothing from the file is written.',
    kindLabel: 'What to import',
    kinds: { regions: 'Regions', 'junior-schools': 'Junior schools', 'high-schools': 'High schools and plans', students: 'Students, enrollment, scores and evaluation' },
  },
  plans: {
    school: 'School', capacity: 'Capacity', classes: 'Classes', batch: 'Batch', scope: 'Scope', ownership: 'Ownership', quota: 'Quota seats',
    minScore: 'Minimum score', minEvaluation: 'Minimum grade', quotaPercent: 'Quota percent', quotaSeats: 'Quota seats (fixed)', quotaMinScore: 'Quota minimum score',
    quotaMinEvaluation: 'Quota minimum grade', minPerSchool: 'Minimum per junior school', quality: 'Quality school', edit: 'Edit', save: 'Save', cancel: 'Cancel',
    saved: 'Plan saved', empty: 'No plans yet: import high schools and plans first', classRule: 'At most 55 per class: capacity ≤ classes × 55 (now at most {max})',
    warnings: 'Warnings', city: 'City', region: 'Region', public: 'Public', private: 'Private', none: 'None',
    notApplicable: 'Not applicable', quotaOnlyQuality: 'Quota seats apply to quality (示范性) high schools only',
  },
  quotas: {
    compute: 'Compute quota seats', computed: 'Computed: {n} seats from {h} high schools to {j} junior schools', byHigh: 'By high school', byJunior: 'By junior school',
    export: 'Export Excel', total: 'Total', seats: 'Seats', graduates: 'Graduates', empty: 'No quota seats yet: compute them first', publishNote: 'The table is public to everyone from “Plans published” on.',
  },
  common: { loading: 'Loading…', retry: 'Retry', cancel: 'Cancel' },
};

export const bureauSetupMessages = { 'zh-CN': zhCN, en };

/** A local scope that follows the app's language; the declared type keeps vue-tsc from inferring the message tree. */
export function useBureauSetupI18n(): LocalI18n {
  return useLocalI18n(bureauSetupMessages);
}
