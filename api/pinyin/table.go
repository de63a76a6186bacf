package pinyin

// This file holds the hand-written data of the package. Everything here was
// written for chainmap from general knowledge of Mandarin readings; nothing is
// copied from other projects.

// gb2312Bounds are the GB2312 codes of the first level-1 hanzi whose reading
// starts with the corresponding letter of gb2312Letters. Level-1 hanzi
// (0xB0A1–0xD7F9) are sorted by pinyin, so the initial of a level-1 character
// is the letter of the last boundary not above its code. The boundary
// characters are 啊 芭 擦 搭 蛾 发 噶 哈 击 喀 垃 妈 拿 哦 啪 期 然 撒 塌 挖 昔 压
// 匝 (checked in TestBoundaries together with their predecessors).
var gb2312Bounds = [...]uint16{
	0xB0A1, 0xB0C5, 0xB2C1, 0xB4EE, 0xB6EA, 0xB7A2, 0xB8C1, 0xB9FE,
	0xBBF7, 0xBFA6, 0xC0AC, 0xC2E8, 0xC4C3, 0xC5B6, 0xC5BE, 0xC6DA,
	0xC8BB, 0xC8F6, 0xCBFA, 0xCDDA, 0xCEF4, 0xD1B9, 0xD4D1,
}

const gb2312Letters = "abcdefghjklmnopqrstwxyz"

// extraChars lists, per initial, hanzi that are NOT GB2312 level-1 (they are
// level-2, ordered by radical, or GBK extensions outside GB2312) but are
// common in company and place names: given names and brand words (鑫 淼 垚
// 昊 晟 …), chemistry and materials (锂 钴 钛 钼 …) and place names (泸 衢 邳
// 溧 …). TestExtraNotLevel1 checks with the GBK encoder that no entry is
// level-1 and that no character appears twice. Hanzi that are neither
// level-1 nor listed here produce no initial.
var extraChars = map[byte]string{
	'a': "铵嫒瑷锕",
	'b': "犇铋钚钯镔濞亳邠钣碚葆蓓吡",
	'c': "宸琛昶铖琤璨茌宬岑晁琮漕埕骢氚",
	'd': "氘笃岱砥碲镝棣铎町啶氡砀儋铥玳",
	'e': "铒锇婀蒽",
	'f': "沣斐孚芾钫砜呋馥昉滏",
	'g': "钴锆镉莞珙姮罡淦钆苷毂胍藁",
	'h': "昊泓骅桦珩琥瀚皓灏濠晗寰荟晖铪钬桁邗浒珲焓湟蕙",
	'j': "镓锏钜骥菁腈珈瑾璟槿婧珺犍珏缙矶泾暨莒滘",
	'k': "琨锟堃恺铠锴钪氪珂鲲",
	'l': "锂镧铑钌镥骊璐鹭麟珑泷岚溧泸漯醴郦砺镂铼珞琏涞澧崂阆鸾",
	'm': "旻钼淼懋茗沐珉湄昴嘧岷嵋汨",
	'n': "铌钕楠萘镎",
	'o': "瓯",
	'p': "璞铍钋镤邳濮珀芃嘌鄱郫",
	'q': "琪骐祺麒淇琦锖钤衢穹芊蕲嗪骞绮邛岐",
	'r': "苒芮睿嵘榕铷",
	's': "晟铯钐锶铄嵩淞泗沭睢羧熵嵊莘歙珅",
	't': "钛铊铽钽霆韬肽砼钍瑭昙郯潼",
	'w': "玮炜婺汶邬",
	'x': "鑫曦玺禧昕馨骁潇煦璇炫暄栩盱铉浔氙酰萱瑄煊熹晞烜岫荥",
	'y': "垚烨昱煜熠翊奕弈懿漪滢瀛瑛瑜钰镱钇妍焱曜邕鄞玥筠芸郓铕氩铟吲琰琊昀邺鄢偃郾颍眙黟甬禺燚",
	'z': "钊璋瓒梓祯峥圳酯喆唑渚涿",
}

// charOverrides replaces the reading implied by a level-1 character's GB2312
// position when another reading is far more common in company names.
// GB2312 files 行 under xíng; in company names 银行/商行/行业 (háng) dominate.
// Phrases below switch it back to x where xíng is meant.
var charOverrides = map[rune]byte{
	'行': 'h',
}

// phraseOverrides fix polyphonic characters inside specific two-character
// words. Each entry names the word, which of its two characters (0 or 1) is
// affected and the initial to use there. Defaults without a phrase: 长 c
// (长城, 长江, 长沙), 重 z (重工, 重型), 会 h (商会, 会展), 乐 l (乐视), 藏 c
// (冷藏, 收藏), 调 d (调度), 给 g, 弹 d, 参 c, 番 f, 厦 x (厦门), 行 h.
// TestPhraseOverrides checks that each entry actually changes something.
var phraseOverrides = []struct {
	word string
	pos  int
	c    byte
}{
	{"重庆", 0, 'c'},
	{"会计", 0, 'k'},
	{"西藏", 1, 'z'},
	{"藏药", 0, 'z'},
	{"藏族", 0, 'z'},
	{"音乐", 1, 'y'},
	{"乐器", 0, 'y'},
	{"乐团", 0, 'y'},
	{"乐清", 0, 'y'},
	{"大厦", 1, 's'},
	{"番禺", 0, 'p'},
	{"空调", 1, 't'},
	{"调味", 0, 't'},
	{"调料", 0, 't'},
	{"调节", 0, 't'},
	{"调控", 0, 't'},
	{"给排", 0, 'j'},
	{"给水", 0, 'j'},
	{"供给", 1, 'j'},
	{"弹簧", 0, 't'},
	{"弹性", 0, 't'},
	{"人参", 1, 's'},
	{"海参", 1, 's'},
	// 行 read xíng.
	{"旅行", 1, 'x'},
	{"出行", 1, 'x'},
	{"发行", 1, 'x'},
	{"运行", 1, 'x'},
	{"执行", 1, 'x'},
	{"自行", 1, 'x'},
	{"通行", 1, 'x'},
	{"步行", 1, 'x'},
	{"飞行", 1, 'x'},
	{"航行", 1, 'x'},
	{"进行", 1, 'x'},
	{"流行", 1, 'x'},
	{"先行", 1, 'x'},
	{"履行", 1, 'x'},
	{"践行", 1, 'x'},
	{"行政", 0, 'x'},
	{"行驶", 0, 'x'},
	{"行车", 0, 'x'},
	{"行为", 0, 'x'},
	{"行动", 0, 'x'},
	{"行程", 0, 'x'},
	{"行销", 0, 'x'},
	{"行走", 0, 'x'},
}
