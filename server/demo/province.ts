/**
 * A province for benchmarks at province scale (issue 16): Hunan's fourteen
 * cities (地级市/自治州) with their county-level regions, Zhuzhou's nine as in
 * the demo city and the others numbered (城区一…, 县一…). Populations (10,000s,
 * 2020 census, rounded) weight each city; a city's urban districts count a
 * little more than its counties. The regions keep the demo city's rules: urban
 * districts' quality schools are city scope (any student of the province may
 * list them, families look within their own city), counties' are region scope.
 */
import { REGION_INFO, chineseNumber, type RegionInfo } from './catalogue';
import { pad } from './util';

interface ProvinceCity {
  name: string;
  nameEn: string;
  /** 行政区划代码 of the city (4 digits). */
  adminCode: string;
  /** Two letters prefixed to its region codes. */
  code: string;
  population: number;
  urban: number;
  counties: number;
}

const HUNAN_CITIES: readonly ProvinceCity[] = [
  { name: '长沙市', nameEn: 'Changsha', adminCode: '4301', code: 'CS', population: 1005, urban: 6, counties: 3 },
  { name: '株洲市', nameEn: 'Zhuzhou', adminCode: '4302', code: 'ZZ', population: 390, urban: 4, counties: 5 },
  { name: '湘潭市', nameEn: 'Xiangtan', adminCode: '4303', code: 'XT', population: 273, urban: 2, counties: 3 },
  { name: '衡阳市', nameEn: 'Hengyang', adminCode: '4304', code: 'HY', population: 665, urban: 5, counties: 7 },
  { name: '邵阳市', nameEn: 'Shaoyang', adminCode: '4305', code: 'SY', population: 656, urban: 3, counties: 9 },
  { name: '岳阳市', nameEn: 'Yueyang', adminCode: '4306', code: 'YY', population: 505, urban: 3, counties: 6 },
  { name: '常德市', nameEn: 'Changde', adminCode: '4307', code: 'CD', population: 528, urban: 2, counties: 7 },
  { name: '张家界市', nameEn: 'Zhangjiajie', adminCode: '4308', code: 'ZJ', population: 152, urban: 2, counties: 2 },
  { name: '益阳市', nameEn: 'Yiyang', adminCode: '4309', code: 'IY', population: 385, urban: 3, counties: 3 },
  { name: '郴州市', nameEn: 'Chenzhou', adminCode: '4310', code: 'CZ', population: 467, urban: 2, counties: 9 },
  { name: '永州市', nameEn: 'Yongzhou', adminCode: '4311', code: 'YZ', population: 529, urban: 2, counties: 9 },
  { name: '怀化市', nameEn: 'Huaihua', adminCode: '4312', code: 'HH', population: 459, urban: 1, counties: 12 },
  { name: '娄底市', nameEn: 'Loudi', adminCode: '4313', code: 'LD', population: 383, urban: 1, counties: 4 },
  { name: '湘西州', nameEn: 'Xiangxi', adminCode: '4331', code: 'XX', population: 249, urban: 1, counties: 7 },
];

const PLACES: readonly string[] = ['城东', '城西', '城南', '城北', '新城', '河东', '河西', '高新', '东湖', '西湖', '南岭', '北山', '石桥', '花园', '青山', '白沙'];

/** Hunan's county-level regions, city by city (Zhuzhou's as REGION_INFO, the others numbered); about 120. */
export function provinceRegions(): RegionInfo[] {
  const regions: RegionInfo[] = [];
  for (const city of HUNAN_CITIES) {
    if (city.code === 'ZZ') {
      for (const r of REGION_INFO) regions.push({ ...r, cityName: city.name });
      continue;
    }
    const weight = city.urban * 1.3 + city.counties;
    for (let k = 0; k < city.urban + city.counties; k++) {
      const urban = k < city.urban;
      const n = urban ? k + 1 : k - city.urban + 1;
      const name = urban ? `城区${chineseNumber(n)}` : `${city.name.replace(/[市州]$/, '')}县${chineseNumber(n)}`;
      regions.push({
        code: `${city.code}${urban ? 'U' : 'C'}${n}`,
        adminCode: `${city.adminCode}${pad(urban ? n : 20 + n, 2)}`,
        name,
        nameEn: `${city.nameEn} ${urban ? 'urban district' : 'county'} ${n}`,
        rural: !urban,
        population: Math.max(1, Math.round((city.population * (urban ? 1.3 : 1)) / weight)),
        bureauName: `${urban ? city.name + name : name}教育局`,
        places: PLACES,
        cityName: city.name,
      });
    }
  }
  return regions;
}
