import { useLocalI18n, type LocalI18n } from './local';

/**
 * Texts of signed receipts (回执): the card on the choices and history pages
 * and the public verification page. Components call `useReceiptsI18n()`.
 */
const zhCN = {
  card: {
    title: '回执',
    intro: '每次保存志愿，平台都会签发一份带电子签名的回执，证明你在什么时间提交了哪些志愿。请下载保存；任何人都可以核验它是否被改动过。',
    student: '准考证号',
    version: '版本',
    versionValue: '第 {n} 版',
    kind: { main: '志愿', supplementary: '补录志愿' },
    savedAt: '服务器时间',
    batch: '第 {n} 批次',
    key: '签名密钥',
    download: '下载回执（.json）',
    view: '查看回执',
    verify: '核验回执',
  },
  verify: {
    title: '核验回执',
    intro: '粘贴或上传志愿回执（.json 文件），平台用公布的公钥检查签名：内容哪怕改动一个字，或不是本平台签发的，都会显示无效。',
    paste: '粘贴回执内容',
    upload: '或上传回执文件',
    submit: '核验',
    checking: '正在核验…',
    valid: '回执有效：签名正确，内容自签发以来未被改动',
    invalid: '回执无效',
    reason: {
      tampered: '签名与内容不符：回执在签发后被改动过，或不是本平台签发的。',
      otherKey: '回执由另一把密钥签发，不是本平台当前公布的密钥。',
      malformed: '这不是一份完整的回执。',
    },
    problem: {
      empty: '请先粘贴或上传回执',
      notJson: '内容不是有效的 JSON，请粘贴完整的回执文件内容',
      notReceipt: '这不是回执：回执包含 payload 和 signature 两部分',
    },
    details: '回执内容',
    offlineTitle: '离线核验',
    offline: '不联网也能核验：下载平台公钥，再运行',
    publicKey: '下载平台公钥（PEM）',
    back: '返回平台首页',
  },
};

const en: typeof zhCN = {
  card: {
    title: 'Receipt',
    intro: 'Every save of your choices comes with a signed receipt: proof of which choices you submitted and when. Download and keep it; anyone can check that it was not changed.',
    student: 'Exam number',
    version: 'Version',
    versionValue: 'Version {n}',
    kind: { main: 'Choices', supplementary: 'Supplementary choices' },
    savedAt: 'Server time',
    batch: 'Batch {n}',
    key: 'Signing key',
    download: 'Download receipt (.json)',
    view: 'View receipt',
    verify: 'Check a receipt',
  },
  verify: {
    title: 'Check a receipt',
    intro: 'Paste or upload a receipt (.json file). The platform checks its signature with the published public key: a receipt changed by a single character, or not issued by this platform, shows as invalid.',
    paste: 'Paste the receipt',
    upload: 'Or upload the receipt file',
    submit: 'Check',
    checking: 'Checking…',
    valid: 'Valid receipt: the signature is correct and nothing was changed since it was issued',
    invalid: 'Invalid receipt',
    reason: {
      tampered: 'The signature does not match the content: the receipt was changed after it was issued, or was not issued by this platform.',
      otherKey: 'The receipt was signed with another key, not the one this platform publishes.',
      malformed: 'This is not a complete receipt.',
    },
    problem: {
      empty: 'Paste or upload a receipt first',
      notJson: 'This is not valid JSON: paste the whole receipt file',
      notReceipt: 'This is not a receipt: a receipt has a payload and a signature',
    },
    details: 'What the receipt says',
    offlineTitle: 'Checking offline',
    offline: 'No network needed: download the platform\'s public key, then run',
    publicKey: 'Download the public key (PEM)',
    back: 'Back to the platform',
  },
};

export const receiptsMessages = { 'zh-CN': zhCN, en };

export function useReceiptsI18n(): LocalI18n {
  return useLocalI18n(receiptsMessages);
}
