/**
 * Deterministic generators for the demo bank: a small seeded PRNG and plausible Chinese names
 * (with pinyin, for e-mail addresses), phone numbers. Never Math.random: the same seed gives the
 * same bank on every machine, so tests and screenshots can name people.
 */

/** mulberry32: tiny, fast, good enough for demo data. Returns floats in [0, 1). */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;

/** Integer in [min, max] inclusive. */
export function randInt(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

export function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)];
}

/** Weighted choice over [item, weight] pairs. */
export function pickWeighted<T>(rng: Rng, list: readonly (readonly [T, number])[]): T {
  const total = list.reduce((s, [, w]) => s + w, 0);
  let r = rng() * total;
  for (const [item, w] of list) {
    r -= w;
    if (r < 0) return item;
  }
  return list[list.length - 1][0];
}

type Syllable = readonly [string, string];

/**
 * Surnames with rough weights, leaning to Guangdong (陈、李、黄、梁、林 are more common there than
 * nationally). One compound surname (欧阳) for realism.
 */
const SURNAMES: readonly (readonly [Syllable, number])[] = [
  [['陈', 'chen'], 14],
  [['李', 'li'], 12],
  [['黄', 'huang'], 10],
  [['张', 'zhang'], 9],
  [['梁', 'liang'], 7],
  [['林', 'lin'], 7],
  [['刘', 'liu'], 7],
  [['王', 'wang'], 7],
  [['吴', 'wu'], 6],
  [['罗', 'luo'], 5],
  [['何', 'he'], 5],
  [['郑', 'zheng'], 5],
  [['杨', 'yang'], 5],
  [['谢', 'xie'], 4],
  [['钟', 'zhong'], 4],
  [['曾', 'zeng'], 4],
  [['邓', 'deng'], 4],
  [['冯', 'feng'], 3],
  [['周', 'zhou'], 3],
  [['叶', 'ye'], 3],
  [['蔡', 'cai'], 3],
  [['许', 'xu'], 3],
  [['徐', 'xu'], 3],
  [['赵', 'zhao'], 3],
  [['孙', 'sun'], 2],
  [['马', 'ma'], 2],
  [['朱', 'zhu'], 3],
  [['胡', 'hu'], 3],
  [['郭', 'guo'], 3],
  [['卢', 'lu'], 3],
  [['苏', 'su'], 3],
  [['温', 'wen'], 2],
  [['邱', 'qiu'], 2],
  [['潘', 'pan'], 2],
  [['赖', 'lai'], 2],
  [['彭', 'peng'], 2],
  [['庄', 'zhuang'], 2],
  [['方', 'fang'], 2],
  [['余', 'yu'], 2],
  [['高', 'gao'], 2],
  [['唐', 'tang'], 2],
  [['韩', 'han'], 1],
  [['曹', 'cao'], 1],
  [['肖', 'xiao'], 2],
  [['袁', 'yuan'], 1],
  [['蒋', 'jiang'], 1],
  [['董', 'dong'], 1],
  [['田', 'tian'], 1],
  [['宋', 'song'], 1],
  [['欧阳', 'ouyang'], 1],
];

const MALE_FINAL: readonly Syllable[] = [
  ['伟', 'wei'],
  ['强', 'qiang'],
  ['磊', 'lei'],
  ['军', 'jun'],
  ['勇', 'yong'],
  ['杰', 'jie'],
  ['涛', 'tao'],
  ['明', 'ming'],
  ['超', 'chao'],
  ['华', 'hua'],
  ['斌', 'bin'],
  ['鹏', 'peng'],
  ['辉', 'hui'],
  ['健', 'jian'],
  ['峰', 'feng'],
  ['浩', 'hao'],
  ['宇', 'yu'],
  ['文', 'wen'],
  ['博', 'bo'],
  ['东', 'dong'],
  ['林', 'lin'],
  ['毅', 'yi'],
  ['晨', 'chen'],
  ['昊', 'hao'],
  ['泽', 'ze'],
  ['锐', 'rui'],
  ['凯', 'kai'],
  ['宏', 'hong'],
  ['平', 'ping'],
  ['亮', 'liang'],
  ['荣', 'rong'],
  ['新', 'xin'],
  ['成', 'cheng'],
  ['彬', 'bin'],
  ['坤', 'kun'],
  ['扬', 'yang'],
];
const MALE_MIDDLE: readonly Syllable[] = [
  ['志', 'zhi'],
  ['建', 'jian'],
  ['国', 'guo'],
  ['永', 'yong'],
  ['文', 'wen'],
  ['家', 'jia'],
  ['俊', 'jun'],
  ['子', 'zi'],
  ['伟', 'wei'],
  ['嘉', 'jia'],
  ['宇', 'yu'],
  ['浩', 'hao'],
  ['明', 'ming'],
  ['振', 'zhen'],
  ['德', 'de'],
  ['海', 'hai'],
  ['晓', 'xiao'],
  ['天', 'tian'],
  ['立', 'li'],
  ['锦', 'jin'],
  ['耀', 'yao'],
  ['少', 'shao'],
  ['炳', 'bing'],
  ['镇', 'zhen'],
];
const FEMALE_FINAL: readonly Syllable[] = [
  ['芳', 'fang'],
  ['娜', 'na'],
  ['敏', 'min'],
  ['静', 'jing'],
  ['丽', 'li'],
  ['艳', 'yan'],
  ['霞', 'xia'],
  ['燕', 'yan'],
  ['玲', 'ling'],
  ['婷', 'ting'],
  ['雪', 'xue'],
  ['慧', 'hui'],
  ['颖', 'ying'],
  ['琳', 'lin'],
  ['洁', 'jie'],
  ['倩', 'qian'],
  ['欣', 'xin'],
  ['悦', 'yue'],
  ['佳', 'jia'],
  ['丹', 'dan'],
  ['萍', 'ping'],
  ['红', 'hong'],
  ['梅', 'mei'],
  ['莹', 'ying'],
  ['璐', 'lu'],
  ['雯', 'wen'],
  ['怡', 'yi'],
  ['瑶', 'yao'],
  ['薇', 'wei'],
  ['蕾', 'lei'],
  ['妍', 'yan'],
  ['珊', 'shan'],
  ['君', 'jun'],
  ['琪', 'qi'],
];
const FEMALE_MIDDLE: readonly Syllable[] = [
  ['晓', 'xiao'],
  ['丽', 'li'],
  ['秀', 'xiu'],
  ['雅', 'ya'],
  ['思', 'si'],
  ['佳', 'jia'],
  ['慧', 'hui'],
  ['美', 'mei'],
  ['雪', 'xue'],
  ['欣', 'xin'],
  ['诗', 'shi'],
  ['婉', 'wan'],
  ['嘉', 'jia'],
  ['梦', 'meng'],
  ['静', 'jing'],
  ['子', 'zi'],
  ['可', 'ke'],
  ['雨', 'yu'],
  ['淑', 'shu'],
  ['凤', 'feng'],
  ['玉', 'yu'],
  ['咏', 'yong'],
  ['惠', 'hui'],
  ['月', 'yue'],
];

export interface GeneratedName {
  name: string;
  /** Lower-case pinyin without tones, surname first (e-mail local parts). */
  pinyin: string;
  gender: 'M' | 'F';
}

/**
 * A seeded name generator. Full names are kept unique within one generator (a bank does have
 * namesakes, but unique names make demos and tests easier to read).
 */
export function createNameGenerator(seed: number): { next(): GeneratedName } {
  const rng = createRng(seed);
  const used = new Set<string>();
  const one = (): GeneratedName => {
    const [surname, surnamePy] = pickWeighted(rng, SURNAMES);
    const gender: 'M' | 'F' = rng() < 0.55 ? 'M' : 'F';
    const finals = gender === 'M' ? MALE_FINAL : FEMALE_FINAL;
    const middles = gender === 'M' ? MALE_MIDDLE : FEMALE_MIDDLE;
    const [last, lastPy] = pick(rng, finals);
    // About a quarter of given names are a single character (陈敏, 李强).
    if (rng() < 0.25 && surname.length === 1) return { name: surname + last, pinyin: surnamePy + lastPy, gender };
    let mid = pick(rng, middles);
    if (mid[0] === last) mid = pick(rng, middles);
    if (mid[0] === last) return { name: surname + last, pinyin: surnamePy + lastPy, gender };
    return { name: surname + mid[0] + last, pinyin: surnamePy + mid[1] + lastPy, gender };
  };
  return {
    next() {
      for (let i = 0; i < 50; i++) {
        const n = one();
        if (!used.has(n.name)) {
          used.add(n.name);
          return n;
        }
      }
      throw new Error('name generator exhausted');
    },
  };
}

const MOBILE_PREFIXES = ['133', '135', '136', '137', '138', '139', '150', '151', '152', '153', '158', '159', '180', '186', '187', '188', '189'];

/** Unique 11-digit mainland mobile numbers (13x / 15x / 18x). */
export function createPhoneGenerator(seed: number): { next(): string } {
  const rng = createRng(seed);
  const used = new Set<string>();
  return {
    next() {
      for (;;) {
        let n = pick(rng, MOBILE_PREFIXES);
        for (let i = 0; i < 8; i++) n += String(Math.floor(rng() * 10));
        if (!used.has(n)) {
          used.add(n);
          return n;
        }
      }
    },
  };
}
