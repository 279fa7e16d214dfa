package samples

// The header texts, units, weights and targets below are hard-coded on purpose:
// they are what the forms say, not what the engine is configured with. They are
// written to match the names and aliases of config/default.yaml, and the
// weights and targets are those of its default scoring, used here only to
// steer the generated values towards a realistic spread of grades.

// programme is a kind of platform.
type programme int

const (
	progEnclave programme = iota
	progDemo
	progTIC
	numProgrammes
)

// programmeOf returns the programme with the given configuration key.
func programmeOf(key string) (programme, bool) {
	for p := range numProgrammes {
		if p.key() == key {
			return p, true
		}
	}
	return 0, false
}

// key returns the programme key used by the configuration.
func (p programme) key() string {
	return [...]string{"enclave", "demo_zone", "tic"}[p]
}

// category is the programme name written in the register's 平台类别 column.
func (p programme) category() string {
	return [...]string{"科创飞地", "科技成果转移转化示范区", "技术创新中心"}[p]
}

// subtype is an enclave's construction mode (建设模式).
type subtype int

const (
	subNone subtype = iota
	subGovLed
	subOutbound
	subInbound
)

// label is the register text of a subtype.
func (s subtype) label() string {
	return [...]string{"", "政府主导型", "飞出平台", "飞入平台"}[s]
}

// valueKind says how an indicator's values look.
type valueKind int

const (
	kindMoney   valueKind = iota // 万元, two decimals
	kindCount                    // whole numbers
	kindPercent                  // whole percentages 0–100
	kindArea                     // 平方米
	kindMonths                   // months in a year
)

// indicator is one input column of a programme's report.
type indicator struct {
	key    string
	header string // the label as the form writes it: the config name or an alias
	unit   string // unit written in brackets after the label
	group  string // group label over the column in the two-row header
	kind   valueKind
	weight float64 // config weight; 0 for columns read for gates only
	target float64 // config target of a scored column
}

// Enclave indicator positions.
const (
	enOfficeArea = iota
	enStaff
	enProjects
	enContract
	enResults
	enFirms
	enInvestment
	enTalents
	enEventSpend
	enLocalSupport
	enRDNonFiscal
	enCompletion
)

// enclaveIndicators are the enclave report columns, in form order.
var enclaveIndicators = []indicator{
	{"office_area", "办公场地面积", "平方米", "科创资源利用", kindArea, 0, 0},
	{"fulltime_staff", "全职人员数", "人", "科创资源利用", kindCount, 0, 0},
	{"research_projects", "参与实施科研项目数", "项", "科创资源利用", kindCount, 5, 5},
	{"contract_turnover", "技术合同成交额", "万元", "成果转化", kindMoney, 20, 1000},
	{"results_transferred", "在内蒙古落地转化成果数", "项", "成果转化", kindCount, 15, 5}, // alias
	{"firms_incubated", "孵化培育科技型企业数", "家", "培育创新主体", kindCount, 10, 5},
	{"project_investment", "落地自治区科技项目投资额", "万元", "招商引资引才", kindMoney, 15, 2000},
	{"talents_attracted", "引进培育人才数", "人", "招商引资引才", kindCount, 10, 20},
	{"talent_event_spend", "开展引才活动经费", "万元", "招商引资引才", kindMoney, 0, 0}, // alias
	{"local_support", "飞入地支持资金", "万元", "研发投入与目标", kindMoney, 0, 0},      // inbound enclaves only; "—" or empty for the others
	{"rd_spend_nonfiscal", "非财政支持研发经费投入", "万元", "研发投入与目标", kindMoney, 10, 300},
	{"target_completion", "年度目标任务完成率", "%", "研发投入与目标", kindPercent, 15, 100},
}

// enclaveContractTarget is the contract-turnover target by subtype.
func enclaveContractTarget(s subtype) float64 {
	switch s {
	case subOutbound:
		return 500
	case subInbound:
		return 800
	}
	return 1000
}

// Demo-zone indicator positions.
const (
	dzInstitutions = iota
	dzBrokers
	dzContract
	dzContractCount
	dzHitechFirms
	dzParkFirms
	dzRDSpend
	dzParkGDP
	dzHitechRevenue
	dzParkRevenue
)

// demoIndicators are the demo-zone report columns, in form order. The three
// shares the score uses are derived from pairs of them.
var demoIndicators = []indicator{
	{"service_institutions", "科技服务机构数", "个", "科技服务体系", kindCount, 10, 15},
	{"brokers", "技术经纪人（经理人）数", "人", "科技服务体系", kindCount, 10, 20}, // alias
	{"contract_turnover", "技术合同成交额", "万元", "技术市场", kindMoney, 25, 10000},
	{"contract_count", "技术合同项数", "项", "技术市场", kindCount, 10, 100},
	{"hitech_firms", "高新技术企业和科技型中小企业数", "家", "创新主体", kindCount, 0, 0},
	{"park_firms", "园区企业总数", "家", "创新主体", kindCount, 0, 0},
	{"rd_spend", "研发经费投入", "万元", "研发投入", kindMoney, 0, 0},
	{"park_gdp", "园区生产总值", "亿元", "研发投入", kindMoney, 0, 0}, // always written in 亿元
	{"hitech_revenue", "高新技术产业营业收入", "万元", "产业发展", kindMoney, 0, 0},
	{"park_revenue", "园区营业总收入", "万元", "产业发展", kindMoney, 0, 0},
}

// Weights and targets of the demo zone's derived shares (percentages).
const (
	dzShareWeight      = 15
	dzFirmShareTarget  = 50
	dzIntensityTarget  = 3
	dzRevenueShareTarg = 50
)

// Centre indicator positions.
const (
	tcRDSpend = iota
	tcKeyTech
	tcPatents
	tcResults
	tcServiceRevenue
	tcSpinoffs
	tcSMEs
	tcCommittee
	tcInsiders
	tcDirectorMonths
	tcMatching
	tcFiscal
)

// ticIndicators are the centre report columns, in form order.
var ticIndicators = []indicator{
	{"rd_spend", "研发经费投入", "万元", "创新能力", kindMoney, 15, 3000},
	{"key_technologies", "突破关键核心技术数", "项", "创新能力", kindCount, 15, 5},
	{"invention_patents", "发明专利授权数", "件", "创新能力", kindCount, 10, 10}, // alias
	{"results_transferred", "成果转化数", "项", "创新能力", kindCount, 15, 5},
	{"service_revenue", "技术服务收入", "万元", "市场化服务", kindMoney, 20, 1000},
	{"spinoff_firms", "孵化衍生科技型企业数", "家", "市场化服务", kindCount, 10, 3},
	{"smes_served", "服务科技型中小企业数", "家", "市场化服务", kindCount, 15, 50},
	{"committee_size", "技术指导委员会人数", "人", "运行管理", kindCount, 0, 0},
	{"committee_insiders", "其中牵头和共建单位人数", "人", "运行管理", kindCount, 0, 0},
	{"director_months", "中心主任在中心工作时间", "月", "运行管理", kindMonths, 0, 0},
	{"matching_funds", "研发配套资金", "万元", "资金投入", kindMoney, 0, 0},
	{"fiscal_support", "自治区财政支持资金", "万元", "资金投入", kindMoney, 0, 0},
}

// indicatorsOf returns a programme's report columns.
func indicatorsOf(p programme) []indicator {
	switch p {
	case progEnclave:
		return enclaveIndicators
	case progDemo:
		return demoIndicators
	}
	return ticIndicators
}
