import { useLocalI18n, type LocalI18n } from './local';

/**
 * Texts of 位次 (rank), the public 一分一段表 (score table) and the
 * 冲/稳/保 guidance, kept with the pages that show them (loaded only with them).
 */
const zhCN = {
  table: {
    title: '一分一段表',
    intro: '每个总分的考生人数，以及该分数及以上的累计人数（位次）。仅统计已导入成绩的考生。',
    region: '地区',
    city: '全市',
    year: '{year} 年 · 共 {n} 人',
    score: '总分',
    count: '本分人数',
    cumulative: '累计人数',
    empty: '暂无成绩数据',
    login: '返回登录',
    home: '返回首页',
    caption: '{place}一分一段表',
  },
  rank: {
    title: '我的位次',
    city: '全市位次',
    region: '{region}位次',
    of: '共 {n} 人',
    note: '位次按总分及公布的同分排序规则计算，同分同序者位次相同。',
    none: '成绩导入后显示位次',
    table: '查看一分一段表',
  },
  cutoff: {
    rank: '位次 {n}',
  },
  band: {
    reach: '冲',
    match: '稳',
    safe: '保',
    label: '参考：{band}',
    numbers: '你的全市位次 {rank}，该校去年录取最低位次 {cutoffRank}（{score} 分），为其 {percent}%',
    numbersNoScore: '你的全市位次 {rank}，该校去年录取最低位次 {cutoffRank}，为其 {percent}%',
    rule: '≤{safe}% 为保，≤{match}% 为稳，其余为冲',
    notPromise: '仅供参考，不是录取承诺',
    none: '无去年录取位次，不作参考分档',
  },
};

type RankingMessages = typeof zhCN;

const en: RankingMessages = {
  table: {
    title: 'Score table',
    intro: 'For each total score, the number of students with it and the number at or above it (the rank). Only students whose scores are imported are counted.',
    region: 'Region',
    city: 'Whole city',
    year: '{year} · {n} students',
    score: 'Total',
    count: 'Students',
    cumulative: 'At or above',
    empty: 'No scores yet',
    login: 'Back to sign-in',
    home: 'Back to home',
    caption: 'Score table: {place}',
  },
  rank: {
    title: 'My rank',
    city: 'City rank',
    region: 'Rank in {region}',
    of: 'of {n}',
    note: 'Ranked by total, then the published tie-break order; students equal on every key share a rank.',
    none: 'Your rank shows once scores are imported',
    table: 'See the score table',
  },
  cutoff: {
    rank: 'rank {n}',
  },
  band: {
    reach: 'Reach',
    match: 'Match',
    safe: 'Safe',
    label: 'Guidance: {band}',
    numbers: 'Your city rank {rank}; last year\'s cutoff rank {cutoffRank} ({score} points); you are at {percent}% of it',
    numbersNoScore: 'Your city rank {rank}; last year\'s cutoff rank {cutoffRank}; you are at {percent}% of it',
    rule: 'Safe up to {safe}%, match up to {match}%, reach beyond',
    notPromise: 'Guidance only, not a promise',
    none: 'No cutoff rank last year: no guidance band',
  },
};

export const rankingMessages = { 'zh-CN': zhCN, en };

/** `t` for rank, score-table and guidance texts: their own first, then the app's. */
export function useRankingI18n(): LocalI18n {
  return useLocalI18n(rankingMessages);
}
