/**
 * The class index maps of the paper's code (idiap/ssl-human-animal, configs/data/*.yaml), per dataset and
 * label: class i here is output i of the paper's probe (`lengths` in those configs gives the output count).
 *   - IMV call type: the labels.csv calltype number is the class index itself; 11 outputs (0..10).
 *   - IMV caller: (T-1)*2 + I - 1; 10 outputs (0..9).
 *   - Watkins: `species_to_index` (32 species, in the config's order, not sorted).
 *   - Abzaliev: `calltype_to_index` (14 call types; `S` is index 7 although its items are dropped, so the
 *     paper's probe has an output that is never a target).
 */

export const IMV_CALLTYPE_CLASSES: readonly string[] = Array.from({ length: 11 }, (_, i) => String(i));

export const IMV_CALLER_CLASSES: readonly string[] = Array.from({ length: 10 }, (_, i) => String(i));

export const WATKINS_CLASSES: readonly string[] = [
  'Clymene_Dolphin',
  'Bottlenose_Dolphin',
  'Spinner_Dolphin',
  'Beluga,_White_Whale',
  'Bearded_Seal',
  'Minke_Whale',
  'Humpback_Whale',
  'Southern_Right_Whale',
  'White-sided_Dolphin',
  'Narwhal',
  'White-beaked_Dolphin',
  'Northern_Right_Whale',
  'Frasers_Dolphin',
  'Weddell_Seal',
  'Grampus,_Rissos_Dolphin',
  'Harp_Seal',
  'Atlantic_Spotted_Dolphin',
  'Fin,_Finback_Whale',
  'Ross_Seal',
  'Rough-Toothed_Dolphin',
  'Killer_Whale',
  'Pantropical_Spotted_Dolphin',
  'Short-Finned_Pacific_Pilot_Whale',
  'Bowhead_Whale',
  'False_Killer_Whale',
  'Melon_Headed_Whale',
  'Long-Finned_Pilot_Whale',
  'Striped_Dolphin',
  'Leopard_Seal',
  'Walrus',
  'Sperm_Whale',
  'Common_Dolphin',
];

export const ABZALIEV_CLASSES: readonly string[] = [
  'L-S1',
  'L-S2',
  'L-S3',
  'L-A',
  'L-PA',
  'L-P',
  'L-O',
  'S',
  'CH-P',
  'CH-N',
  'GR-P',
  'GR-N',
  'L-TA',
  'L-H',
];
