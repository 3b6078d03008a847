// Polish adjective inflection for the five agreement lists the generator uses. Base form: masculine singular
// nominative. The masculine-personal plural softens the stem's last consonant; irregular forms are given
// explicitly in the data files ("wesoły weseli").

// Adjectives in -ony are mostly past participles (zmęczony → zmęczeni); these few are not.
const NON_PARTICIPLE_ONY = ['zielony', 'czerwony', 'słony'];

/** Masculine-personal plural of a hard-stem adjective (base ends in -y). */
function masculinePersonalOfHard(base) {
  const stem = base.slice(0, -1);
  const ends = (suffix) => stem.endsWith(suffix);
  const cut = (count) => stem.slice(0, -count);
  const digraphBefore = (count) => /(s|c|d|r)$/.test(stem.slice(0, -count));
  if (ends('on') && !NON_PARTICIPLE_ONY.some((word) => base.endsWith(word))) return `${cut(2)}eni`;
  if (ends('ch')) return `${cut(2)}si`; // cichy → cisi
  if (ends('sz')) return `${cut(2)}si`; // starszy → starsi
  if (ends('cz') || ends('rz') || ends('dz') || ends('c')) return base; // gorący, wilczy, cudzy
  if (ends('st')) return `${cut(2)}ści`; // czysty → czyści
  if (ends('sł')) return `${cut(2)}śli`; // dorosły → dorośli
  if (ends('zł') && !digraphBefore(2)) return `${cut(2)}źli`; // zły → źli
  if (ends('sn')) return `${cut(2)}śni`; // jasny → jaśni
  if (ends('zn') && !digraphBefore(2)) return `${cut(2)}źni`; // but straszny → straszni
  if (ends('ż')) return `${cut(1)}zi`; // duży → duzi
  if (ends('r')) return `${stem}zy`; // dobry → dobrzy
  if (ends('t')) return `${cut(1)}ci`; // bogaty → bogaci
  if (ends('d')) return `${cut(1)}dzi`; // młody → młodzi
  if (ends('ł')) return `${cut(1)}li`; // mały → mali
  return `${stem}i`; // nowy → nowi, ładny → ładni, łysy → łysi
}

/**
 * The five forms of one adjective: singular masculine/feminine/neuter, plural masculine-personal and
 * non-masculine-personal.
 */
export function inflectAdjective(base, masculinePersonal) {
  let forms;
  if (/[kg]i$/.test(base)) {
    const stem = base.slice(0, -1);
    const soft = `${stem}ie`;
    const personal = base.endsWith('ki') ? `${base.slice(0, -2)}cy` : `${base.slice(0, -2)}dzy`;
    forms = { masculine: base, feminine: `${stem}a`, neuter: soft, nonPersonal: soft, personal };
  } else if (base.endsWith('li')) {
    // l is soft on its own, so the i is only a vowel: sokoli → sokola, sokole.
    const stem = base.slice(0, -1);
    forms = { masculine: base, feminine: `${stem}a`, neuter: `${stem}e`, nonPersonal: `${stem}e`, personal: base };
  } else if (base.endsWith('i')) {
    // Here i marks a soft consonant (tani = tań-), kept before the endings: tania, tanie.
    const soft = `${base.slice(0, -1)}ie`;
    forms = { masculine: base, feminine: `${base}a`, neuter: soft, nonPersonal: soft, personal: base };
  } else if (base.endsWith('y')) {
    const stem = base.slice(0, -1);
    const hard = `${stem}e`;
    forms = {
      masculine: base,
      feminine: `${stem}a`,
      neuter: hard,
      nonPersonal: hard,
      personal: masculinePersonalOfHard(base),
    };
  } else {
    throw new Error(`Not a Polish adjective base form: ${base}`);
  }
  return masculinePersonal ? { ...forms, personal: masculinePersonal } : forms;
}

// Spot checks against dictionary forms; the build fails if a rule regresses.
const CHECKS = {
  szybki: ['szybka', 'szybkie', 'szybcy'],
  drogi: ['droga', 'drogie', 'drodzy'],
  polski: ['polska', 'polskie', 'polscy'],
  tani: ['tania', 'tanie', 'tani'],
  żabi: ['żabia', 'żabie', 'żabi'],
  sokoli: ['sokola', 'sokole', 'sokoli'],
  kurzy: ['kurza', 'kurze', 'kurzy'],
  wyniosły: ['wyniosła', 'wyniosłe', 'wyniośli'],
  przyjazny: ['przyjazna', 'przyjazne', 'przyjaźni'],
  pierwszy: ['pierwsza', 'pierwsze', 'pierwsi'],
  srogi: ['sroga', 'srogie', 'srodzy'],
  cichy: ['cicha', 'ciche', 'cisi'],
  gorący: ['gorąca', 'gorące', 'gorący'],
  czysty: ['czysta', 'czyste', 'czyści'],
  dorosły: ['dorosła', 'dorosłe', 'dorośli'],
  zły: ['zła', 'złe', 'źli'],
  jasny: ['jasna', 'jasne', 'jaśni'],
  straszny: ['straszna', 'straszne', 'straszni'],
  duży: ['duża', 'duże', 'duzi'],
  dobry: ['dobra', 'dobre', 'dobrzy'],
  bogaty: ['bogata', 'bogate', 'bogaci'],
  młody: ['młoda', 'młode', 'młodzi'],
  mały: ['mała', 'małe', 'mali'],
  nowy: ['nowa', 'nowe', 'nowi'],
  zmęczony: ['zmęczona', 'zmęczone', 'zmęczeni'],
  zielony: ['zielona', 'zielone', 'zieloni'],
  zdziwiony: ['zdziwiona', 'zdziwione', 'zdziwieni'],
  starszy: ['starsza', 'starsze', 'starsi'],
  przeszły: ['przeszła', 'przeszłe', 'przeszli'],
  kwaśny: ['kwaśna', 'kwaśne', 'kwaśni'],
  poważny: ['poważna', 'poważne', 'poważni'],
  rozlazły: ['rozlazła', 'rozlazłe', 'rozlaźli'],
  bezmózgi: ['bezmózga', 'bezmózgie', 'bezmózdzy'],
};

export function checkInflection() {
  for (const [base, [feminine, neuter, personal]] of Object.entries(CHECKS)) {
    const forms = inflectAdjective(base);
    const actual = [forms.feminine, forms.neuter, forms.personal];
    if (actual.join() !== [feminine, neuter, personal].join()) {
      throw new Error(`Inflection of ${base}: expected ${[feminine, neuter, personal]}, got ${actual}`);
    }
  }
}
