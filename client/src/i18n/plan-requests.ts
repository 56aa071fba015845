import { useLocalI18n, type LocalI18n } from './local';

/** Texts of the bureau's queue of plan change requests (招生计划修改申请), with four eyes. */
const zhCN = {
  title: '招生计划修改申请',
  empty: '没有待审批的申请',
  reason: '理由',
  changes: '申请修改',
  field: { capacity: '计划数', classes: '班级数', minScore: '最低分', minEvaluation: '最低等级', quotaPercent: '指标比例(%)', quotaSeats: '指标名额' },
  approve: '批准',
  reject: '驳回',
  awaiting: '等待另一名市教育局账号批准（{count}/{required}）',
  approvedBy: '已批准：{names}',
  fourEyes: '修改计划数或指标名额需 {required} 名不同的市教育局账号批准',
  recorded: '已记录您的批准，还需另一名市教育局账号批准（{count}/{required}）',
  done: { approved: '已批准并生效', rejected: '已驳回' },
};

const en: typeof zhCN = {
  title: 'Plan change requests',
  empty: 'No request is waiting',
  reason: 'Reason',
  changes: 'Changes',
  field: { capacity: 'Seats', classes: 'Classes', minScore: 'Minimum score', minEvaluation: 'Minimum grade', quotaPercent: 'Quota share (%)', quotaSeats: 'Quota seats' },
  approve: 'Approve',
  reject: 'Reject',
  awaiting: 'Awaiting a second approval ({count}/{required})',
  approvedBy: 'Approved by {names}',
  fourEyes: 'A change of seats or quota seats takes {required} different city-bureau accounts',
  recorded: 'Your approval is recorded; a different city-bureau account must approve too ({count}/{required})',
  done: { approved: 'Approved and applied', rejected: 'Rejected' },
};

export const planRequestsMessages = { 'zh-CN': zhCN, en };

export function usePlanRequestsI18n(): LocalI18n {
  return useLocalI18n(planRequestsMessages);
}
