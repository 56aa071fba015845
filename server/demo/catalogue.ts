/**
 * Fixed lists the demo city is built from: Zhuzhou's regions, place names, school
 * names and name syllables. Place and school names are public geography; people's
 * names are assembled from common surnames and given-name characters, so no real
 * person is described.
 */

/** Zhuzhou's regions; a province's (./province.ts) have codes of their own. */
export type RegionCode = 'HT' | 'LS' | 'SF' | 'TY' | 'LK' | 'LL' | 'YX' | 'CL' | 'YL' | (string & {});

export interface RegionInfo {
  code: RegionCode;
  /** 行政区划代码, also the prefix of ID card numbers issued there. */
  adminCode: string;
  name: string;
  nameEn: string;
  /** County or rural district (县/县级市/渌口区); the first four are the urban districts. */
  rural: boolean;
  /** Approximate resident population in units of 10,000 (2020 census, rounded); weights the students. */
  population: number;
  /** Name of the region's education bureau. */
  bureauName: string;
  /** Towns, townships and streets, used for school names. */
  places: readonly string[];
  /** In a province (./province.ts): the city (地级市) the region belongs to; absent in the demo city. */
  cityName?: string;
}

export const REGION_INFO: readonly RegionInfo[] = [
  {
    code: 'HT', adminCode: '430202', name: '荷塘区', nameEn: 'Hetang District', rural: false, population: 39,
    bureauName: '荷塘区教育局',
    places: ['月塘', '宋家桥', '茨菇塘', '金山', '桂花', '明照', '仙庾', '红旗', '新华', '东门', '合泰', '戴家岭'],
  },
  {
    code: 'LS', adminCode: '430203', name: '芦淞区', nameEn: 'Lusong District', rural: false, population: 34,
    bureauName: '芦淞区教育局',
    places: ['建设', '贺家土', '庆云', '龙泉', '白关', '枫溪', '董家塅', '建宁', '姚家坝', '曲尺'],
  },
  {
    code: 'SF', adminCode: '430204', name: '石峰区', nameEn: 'Shifeng District', rural: false, population: 27,
    bureauName: '石峰区教育局',
    places: ['清水塘', '响石岭', '井墈', '铜塘湾', '田心', '龙头铺', '云田', '学林', '九方', '湘氮'],
  },
  {
    code: 'TY', adminCode: '430211', name: '天元区', nameEn: 'Tianyuan District', rural: false, population: 43,
    bureauName: '天元区教育局',
    places: ['嵩山', '泰山', '栗雨', '马家河', '群丰', '雷打石', '三门', '天台', '湘山', '珠江', '长江', '株洲大道'],
  },
  {
    code: 'LK', adminCode: '430212', name: '渌口区', nameEn: 'Lukou District', rural: true, population: 29,
    bureauName: '渌口区教育局',
    places: ['渌口', '南洲', '朱亭', '古岳峰', '龙潭', '龙船', '淦田', '龙门', '南阳桥', '王十万', '仙井', '堂市'],
  },
  {
    code: 'LL', adminCode: '430281', name: '醴陵市', nameEn: 'Liling City', rural: true, population: 91,
    bureauName: '醴陵市教育局',
    places: [
      '来龙门', '阳三石', '仙岳山', '西山', '浦口', '白兔潭', '王仙', '东富', '泗汾', '沩山', '船湾', '官庄',
      '孙家湾', '均楚', '石亭', '嘉树', '李畋', '茶山', '明月', '枫林', '板杉', '黄沙', '神福港', '石门口',
      '富里', '大障', '栗山坝', '南桥',
    ],
  },
  {
    code: 'YX', adminCode: '430223', name: '攸县', nameEn: 'You County', rural: true, population: 67,
    bureauName: '攸县教育局',
    places: [
      '联星', '江桥', '春联', '网岭', '丫江桥', '皇图岭', '黄丰桥', '宁家坪', '新市', '桃水', '渌田', '菜花坪',
      '鸾山', '柏市', '莲塘坳', '酒埠江', '峦山', '石羊塘', '上云桥', '大同桥',
    ],
  },
  {
    code: 'CL', adminCode: '430224', name: '茶陵县', nameEn: 'Chaling County', rural: true, population: 53,
    bureauName: '茶陵县教育局',
    places: [
      '云阳', '思聪', '下东', '洣江', '腰潞', '严塘', '虎踞', '高陇', '秩堂', '枣市', '火田', '界首',
      '马江', '舲舫', '湖口', '平水', '桃坑', '浣溪',
    ],
  },
  {
    code: 'YL', adminCode: '430225', name: '炎陵县', nameEn: 'Yanling County', rural: true, population: 17,
    bureauName: '炎陵县教育局',
    places: ['霞阳', '沔渡', '十都', '水口', '鹿原', '垄溪', '策源', '中村', '下村', '船形', '三河', '平乐', '东风'],
  },
];

/**
 * Named high schools per region, in the order the generator places them:
 * quality (示范性) first, then ordinary public. Which school is a quality school,
 * its scope and its size are invented for the demo.
 */
export const QUALITY_HIGH_NAMES: Readonly<Record<RegionCode, readonly string[]>> = {
  HT: ['株洲市第一中学', '株洲市第二中学'],
  LS: ['株洲市南方中学', '株洲市第四中学'],
  SF: ['株洲市第八中学', '株洲市第十三中学'],
  TY: ['株洲市第十八中学', '株洲市天元中学'],
  LK: ['株洲市渌口区第五中学', '株洲市渌口区第三中学'],
  LL: ['醴陵市第一中学', '醴陵市第四中学', '醴陵市第二中学'],
  YX: ['攸县第一中学', '攸县第三中学'],
  CL: ['茶陵县第一中学', '茶陵县第三中学'],
  YL: ['炎陵县第一中学'],
};

export const ORDINARY_HIGH_NAMES: Readonly<Record<RegionCode, readonly string[]>> = {
  HT: ['株洲市第三中学', '株洲市第六中学'],
  LS: ['株洲市第七中学', '株洲市第十五中学'],
  SF: ['株洲市第十九中学', '株洲市第十七中学'],
  TY: ['株洲市第九中学', '株洲市第十中学'],
  LK: ['株洲市渌口区第一中学', '株洲市渌口区第二中学'],
  LL: ['醴陵市第五中学', '醴陵市第九中学', '醴陵市第十一中学', '醴陵市第三中学'],
  YX: ['攸县第二中学', '攸县第四中学', '攸县第五中学'],
  CL: ['茶陵县第二中学', '茶陵县第四中学', '茶陵县第五中学'],
  YL: ['炎陵县第二中学', '炎陵县第三中学'],
};

/** Words for invented private-school names (民办学校). */
export const PRIVATE_WORDS: readonly string[] = [
  '明德', '景弘', '博雅', '英才', '育才', '思源', '启航', '华鑫', '湘东', '立人', '致远', '求实',
  '弘毅', '崇德', '格致', '远航', '卓越', '树人', '励志', '新星', '天成', '鼎立', '文博', '同心',
];

/** Urban junior schools named after the city's numbered schools (numbers not used by high schools). */
export const CITY_JUNIOR_NUMBERS: readonly number[] = [5, 11, 12, 14, 16, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30];

/** Junior sections of the big urban schools (初中部), one per urban region. */
export const JUNIOR_SECTIONS: Readonly<Partial<Record<RegionCode, string>>> = {
  HT: '株洲市第二中学初中部',
  LS: '株洲市南方中学初中部',
  SF: '株洲市第八中学初中部',
  TY: '株洲市第十八中学初中部',
};

/** Surnames with rough relative frequencies in Hunan. */
export const SURNAMES: readonly (readonly [string, number])[] = [
  ['刘', 8], ['李', 7], ['王', 6], ['陈', 6], ['张', 5], ['罗', 4], ['周', 4], ['黄', 4], ['彭', 3], ['谭', 3],
  ['唐', 3], ['邓', 3], ['杨', 3], ['易', 2], ['曾', 2], ['胡', 2], ['谢', 2], ['贺', 2], ['肖', 2], ['文', 2],
  ['廖', 2], ['吴', 2], ['龙', 1], ['颜', 1], ['袁', 1], ['蒋', 1], ['朱', 1], ['赵', 1], ['钟', 1], ['左', 1],
  ['尹', 1], ['陶', 1], ['汤', 1], ['邹', 1], ['夏', 1], ['熊', 1], ['欧阳', 1], ['丁', 1], ['江', 1], ['言', 1],
];

export const GIVEN_MALE: readonly string[] = [
  ...'浩宇轩子涵博文俊杰睿泽晨昊天思嘉明鑫磊强鹏志伟一宸逸铭航翔阳钦霖锐毅卓然承彦斌凯豪煜弘瑞',
];

export const GIVEN_FEMALE: readonly string[] = [
  ...'欣怡梓涵雨萱诗琪思妍佳琳可馨紫嫣雅静悦婷梦瑶若曦语彤晓倩宁蕾月芳颖依菲雯洁琦璐玥慧',
];

const DIGITS = '零一二三四五六七八九';

/** Chinese numeral for 1..9999 as used in school names (第十一, 第一百零二). */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 9999) return String(n);
  const thousands = Math.floor(n / 1000);
  const hundreds = Math.floor(n / 100) % 10;
  const tens = Math.floor(n / 10) % 10;
  const ones = n % 10;
  if (n < 10) return DIGITS[n];
  if (n < 20) return '十' + (ones ? DIGITS[ones] : '');
  if (n < 100) return DIGITS[tens] + '十' + (ones ? DIGITS[ones] : '');
  let out = '';
  if (thousands) out += DIGITS[thousands] + '千';
  if (hundreds) out += DIGITS[hundreds] + '百';
  else if (thousands && (tens || ones)) out += '零';
  if (tens) out += DIGITS[tens] + '十';
  else if (ones && hundreds) out += '零';
  if (ones) out += DIGITS[ones];
  return out;
}
