package samples

// The name tables below are read-only. Every name of a company, university or
// institute is fictitious; league (盟市) and park names are real places.

// league is one of the twelve leagues and cities (盟市) of Inner Mongolia.
type league struct {
	name  string // official name, as the register should carry it
	short string // the name without 市/盟, used inside platform names
	alias string // a short form people write in the register instead; "" if none is used
}

// leagues lists the twelve 盟市 in the order of the regional statistics.
var leagues = [...]league{
	{"呼和浩特市", "呼和浩特", "呼和浩特"},
	{"包头市", "包头", "包头"},
	{"呼伦贝尔市", "呼伦贝尔", ""},
	{"兴安盟", "兴安", ""},
	{"通辽市", "通辽", ""},
	{"赤峰市", "赤峰", ""},
	{"锡林郭勒盟", "锡林郭勒", "锡盟"},
	{"乌兰察布市", "乌兰察布", ""},
	{"鄂尔多斯市", "鄂尔多斯", ""},
	{"巴彦淖尔市", "巴彦淖尔", ""},
	{"乌海市", "乌海", ""},
	{"阿拉善盟", "阿拉善", ""},
}

// Indexes into leagues.
const (
	lgHohhot = iota
	lgBaotou
	lgHulunbuir
	lgHinggan
	lgTongliao
	lgChifeng
	lgXilingol
	lgUlanqab
	lgOrdos
	lgBayannur
	lgWuhai
	lgAlxa
)

// leagueWeights weights the leagues by how many platforms they host.
var leagueWeights = [len(leagues)]float64{14, 14, 5, 3, 6, 7, 4, 5, 12, 5, 4, 3}

// hubs are the innovation hub cities where enclaves are set up.
var hubs = [...]string{"北京", "天津", "上海", "杭州", "南京", "苏州", "深圳", "广州", "西安", "武汉", "合肥", "成都"}

// brands are invented trade names for Inner Mongolia companies.
var brands = [...]string{
	"北辰", "蒙润", "恒泰", "瀚海", "金川", "青城", "鹿城", "鸿源", "塞宝", "天骄",
	"朔方", "阴山", "敕勒", "河套", "晟达", "嘉禾", "昊远", "利民", "银驼", "绿原",
	"广润", "中泽", "大漠", "银河", "盛泰", "华升", "弘业", "远航", "新民", "兴和",
}

// industries are the lines of business of invented companies.
var industries = [...]string{
	"稀土新材料", "新能源", "生物科技", "化工", "装备制造", "农牧业科技", "光电", "冶金",
	"药业", "信息技术", "乳品", "环保科技", "能源", "硅材料", "种业",
}

// outsideInstitutes are invented universities and institutes outside the region
// that set up inbound enclaves (飞入平台).
var outsideInstitutes = [...]string{
	"京北理工大学", "津门工业大学", "沪东科技大学", "钱塘工业大学", "金陵材料科学研究院",
	"姑苏先进制造研究院", "鹏城新能源研究院", "岭南生物技术研究院", "华中光电技术研究院",
	"长安能源化工研究院", "齐鲁农业科技大学", "蜀都资源环境研究院", "江淮智能装备研究院",
	"燕山冶金研究院", "东海海洋与材料研究院",
}

// demoPark is a park that hosts a demonstration zone.
type demoPark struct {
	name   string
	league int
	batch  int // 0: first batch (LastYear-3), 1: second batch (LastYear-2)
}

// demoParks are the six parks named in the demo-zone guide.
var demoParks = [...]demoPark{
	{"和林格尔新区", lgHohhot, 0},
	{"包头稀土高新技术产业开发区", lgBaotou, 0},
	{"鄂尔多斯高新技术产业开发区", lgOrdos, 0},
	{"巴彦淖尔国家农业科技园区", lgBayannur, 1},
	{"赤峰高新技术产业开发区", lgChifeng, 1},
	{"阿拉善高新技术产业开发区", lgAlxa, 1},
}

// parkKinds name further, generated parks in larger sets.
var parkKinds = [...]string{"经济技术开发区", "高新技术产业开发区", "农业高新技术产业示范区", "工业园区", "现代煤化工产业园区", "装备制造产业园区"}

// centreField is the field of a technology innovation centre and the league
// where its lead unit sits.
type centreField struct {
	field      string
	league     int
	industry   string // line of business of a company leading it
	university string // the university or institute that usually leads it; "" for company-led fields
}

// centreFields are the thirty fields of the region's centres.
var centreFields = [...]centreField{
	{"稀土功能材料", lgBaotou, "稀土新材料", ""},
	{"稀土永磁电机", lgBaotou, "装备制造", "阴山理工大学"},
	{"煤基固废综合利用", lgOrdos, "环保科技", ""},
	{"现代煤化工", lgOrdos, "化工", ""},
	{"乳业", lgHohhot, "乳品", ""},
	{"草种业", lgHohhot, "种业", "北疆农牧科技大学"},
	{"氢能", lgOrdos, "能源", ""},
	{"风电装备", lgUlanqab, "装备制造", ""},
	{"光伏材料", lgBaotou, "硅材料", ""},
	{"蒙药现代化", lgTongliao, "药业", "敕勒川医学院"},
	{"肉羊种业", lgBayannur, "种业", ""},
	{"马铃薯", lgUlanqab, "农牧业科技", ""},
	{"玉米生物育种", lgTongliao, "种业", "北疆农牧科技大学"},
	{"草原生态修复", lgXilingol, "环保科技", "草原生态研究院"},
	{"沙产业", lgAlxa, "生物科技", ""},
	{"硅基新材料", lgWuhai, "硅材料", ""},
	{"石墨新材料", lgUlanqab, "稀土新材料", ""},
	{"氟化工", lgWuhai, "化工", ""},
	{"新型储能", lgBaotou, "新能源", ""},
	{"智能矿山", lgOrdos, "信息技术", "大青山工业大学"},
	{"大数据与云计算", lgUlanqab, "信息技术", ""},
	{"生物发酵", lgHohhot, "生物科技", ""},
	{"肉牛产业", lgTongliao, "农牧业科技", ""},
	{"钢铁新材料", lgBaotou, "冶金", ""},
	{"铝基新材料", lgTongliao, "冶金", ""},
	{"林草种质资源", lgHulunbuir, "种业", "草原生态研究院"},
	{"黑土地保护利用", lgHinggan, "农牧业科技", "北疆农牧科技大学"},
	{"碳捕集利用与封存", lgOrdos, "能源", "黄河几字湾能源研究院"},
	{"盐碱地综合治理", lgBayannur, "农牧业科技", "北疆农牧科技大学"},
	{"有色金属绿色冶炼", lgChifeng, "冶金", ""},
}

// surnames and givenNames make the names of the people who fill in the forms.
var (
	surnames   = [...]string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "高", "郭", "马", "白", "乌"}
	givenNames = [...]string{"晓东", "丽娜", "建国", "海燕", "志强", "其其格", "敏", "娜仁", "宏伟", "婷", "斯琴", "立新", "巴特尔", "文静"}
)
