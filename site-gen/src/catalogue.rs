//! The Chinese of every message `check`, `build`, `import`, `serve`, `init` and `new form`
//! print, in one table.
//!
//! Messages are composed in English where they are found (the library's output, which
//! `--lang en` shows as it is); at the edge, when the run's language is Chinese, each
//! printed line goes through [`to_chinese`]. A line `path:line:col: message` keeps its place
//! and has its message translated; the offending line and its caret are shown unchanged.
//!
//! An entry is the English with `{}` for each varying part (a name, a nested message), or
//! `{#}` for a part that is a number, and the Chinese with `{0}`, `{1}`… for those parts
//! in order. A varying part is itself looked up, so a message built from smaller ones
//! (`warning: …`, `holds U+200B, an invisible character …`, a list ending `and 3 more`) is
//! translated whole. A line no entry matches is printed in English rather than guessed.

/// (English with `{}` parts, Chinese with `{0}`, `{1}`…), most specific first where two
/// could match the same text.
const CATALOGUE: &[(&str, &str)] = &[
    // Prefixes and the run's summary.
    ("warning: {}", "警告：{0}"),
    ("note: {}", "说明：{0}"),
    ("error: {}", "错误：{0}"),
    // A cell of a CSV file (a workbook's cells are named `file:sheet!E3`).
    ("{}: line {#}, column {}: {}", "{0}：第 {1} 行 {2} 列：{3}"),
    ("1 content error found", "发现 1 处内容错误"),
    ("{} content errors found", "发现 {0} 处内容错误"),
    // TOML and the shape of a file (serde's words).
    ("missing field `{}`", "缺少 `{0}`（这一项必须填写）"),
    (
        "unknown field `{}`, expected one of {}",
        "不认识的键 `{0}`：这里可以写的键是 {1}",
    ),
    ("unknown field `{}`, expected {}", "不认识的键 `{0}`：这里可以写的键是 {1}"),
    ("unknown field `{}`, there are no fields", "不认识的键 `{0}`：这里不能写任何键"),
    ("invalid type: {}, expected {}", "类型不对：写的是{0}，应为{1}"),
    ("invalid value: {}, expected {}", "值不对：写的是{0}，应为{1}"),
    ("invalid length {}, expected {}", "个数不对：写了 {0} 个，应为{1}"),
    ("unknown variant `{}`, expected one of {}", "不认识的值 `{0}`：可以写的值是 {1}"),
    ("unknown variant `{}`, expected {}", "不认识的值 `{0}`：可以写的值是 {1}"),
    ("duplicate key `{}` in document root", "键 `{0}` 写了两次"),
    ("duplicate key `{}` in table `{}`", "键 `{0}` 在表 `{1}` 里写了两次"),
    ("duplicate key `{}`", "键 `{0}` 写了两次"),
    ("duplicate field `{}`", "键 `{0}` 写了两次"),
    ("string \"{}\"", "文字 \"{0}\""),
    ("integer `{}`", "整数 `{0}`"),
    ("floating point `{}`", "小数 `{0}`"),
    ("boolean `{}`", "真假值 `{0}`"),
    ("a string", "加英文双引号的文字"),
    ("a sequence", "方括号里的列表 […]"),
    ("sequence", "方括号里的列表 […]"),
    ("a map", "表（{ … } 或 [表名]）"),
    ("map", "表（{ … } 或 [表名]）"),
    ("a boolean", "true 或 false"),
    ("`{}` or `{}`", "`{0}` 或 `{1}`"),
    ("a number", "数字"),
    ("u32", "不小于 0 的整数"),
    ("u64", "不小于 0 的整数"),
    ("usize", "不小于 0 的整数"),
    ("f64", "数字"),
    ("i32", "整数"),
    ("a year such as 2020", "整数年份，如 2020"),
    ("{} is too large: expected {}", "{0} 太大：应为{1}"),
    ("{} is too small: expected {}", "{0} 太小：应为{1}"),
    ("a whole number from 0 to {#}", "介于 0 和 {0} 之间的整数"),
    (
        "an amount in 万元 of at most 18 digits, such as 3 or 2.5",
        "以万元计的金额，最多 18 位数字，例如 3 或 2.5",
    ),
    ("a number of at most 18 digits", "最多 18 位数字的数"),
    (
        "lists or tables are nested too deeply here ([ ] or { } inside one another, more than a content file needs)",
        "这里的列表或表嵌套太深（[ ] 或 { } 层层套在一起，内容文件用不到这么多层）",
    ),
    ("a date like 2020-07-21", "像 2020-07-21 这样的日期"),
    (
        "invalid TOML: expected `key = value`, a `[table]` header or a comment",
        "TOML 写法不对：每行应是 `键 = 值`、`[表名]` 或以 # 开头的注释",
    ),
    ("invalid key", "键的写法不对"),
    ("invalid string", "文字的写法不对（文字要加英文双引号）"),
    ("invalid basic string", "文字的写法不对（文字要加英文双引号）"),
    ("invalid literal string", "文字的写法不对（文字要加英文双引号）"),
    ("invalid number", "数字的写法不对"),
    ("invalid date-time", "日期的写法不对：要写成 2025-04-18（年-月-日，月和日各两位）"),
    ("invalid array", "列表的写法不对"),
    ("invalid inline table", "行内表的写法不对"),
    ("invalid table header", "表头的写法不对"),
    ("unclosed array", "列表缺少右方括号 ]"),
    ("unclosed table", "表头缺少右方括号 ]"),
    ("unclosed inline table", "行内表缺少右花括号 }"),
    (
        "string values must be quoted",
        "文字要加英文双引号",
    ),
    ("expected newline, `#`", "这一行在值之后还有内容：一行只写一个 `键 = 值`，注释以 # 开头"),
    ("{}: cannot be parsed as TOML", "{0}：不是能读懂的 TOML"),
    (
        "file is not valid UTF-8 (content files must be saved as UTF-8)",
        "文件不是 UTF-8 编码（内容文件要存为 UTF-8）",
    ),
    // The site.
    (
        "missing site.toml (title, base_url, language, footer, intro)",
        "缺少 site.toml（写站点的 title、base_url、language、footer、intro）",
    ),
    (
        "--base-url {}; expected the address the site is published at, such as \"https://www.example.gov.cn/zjgyb/\"",
        "--base-url {0}；应写网站发布的地址，例如 \"https://www.example.gov.cn/zjgyb/\"",
    ),
    (
        "--title: expected the site's name on one line, such as \"温州市专业技术人员高级研修班\"",
        "--title：应写一行网站名称，例如 \"温州市专业技术人员高级研修班\"",
    ),
    (
        "Serving {} on {} (Ctrl-C to stop)",
        "正在预览 {0}：{1}（按 Ctrl-C 停止）",
    ),
    (
        "base_url {}; expected the address the site is published at, such as \"https://training.example.gov.cn/\" or \"https://www.example.gov.cn/zjgyb/\" (http or https, a host, a path of letters, digits and - . _ ~ /)",
        "base_url {0}；应写网站发布的地址，例如 \"https://training.example.gov.cn/\" 或 \"https://www.example.gov.cn/zjgyb/\"（http 或 https、主机名、由字母、数字和 - . _ ~ / 组成的路径）",
    ),
    (
        "\"{}\" is not an absolute http(s) address (it must start with https:// or http://)",
        "“{0}”不是完整的网址（要以 https:// 或 http:// 开头）",
    ),
    ("\"{}\" has no valid host name: `{}`{}", "“{0}”的主机名 `{1}` 不对{2}"),
    (
        " (write a name in other scripts in its xn-- form)",
        "（中文域名要写成 xn-- 开头的形式）",
    ),
    (
        "\"{}\" has a port `{}` that is not a number from 0 to 65535",
        "“{0}”的端口 `{1}` 不是 0 到 65535 之间的数字",
    ),
    (
        "\"{}\" holds a user name (`@`), which a published address cannot have",
        "“{0}”含有用户名（`@`），公开的网址不能有",
    ),
    (
        "\"{}\" has a `.` or `..` segment in its path",
        "“{0}”的路径里有 `.` 或 `..`",
    ),
    (
        "\"{}\" has an empty segment (`//`) in its path",
        "“{0}”的路径里有空的一段（`//`）",
    ),
    (
        "\"{}\" has {} in its path, which would need escaping (write other characters as %XX)",
        "“{0}”的路径里有{1}，需要转义（其他字符写成 %XX）",
    ),
    (
        "\"{}\" has a {} (`{}`), which a site's address cannot have",
        "“{0}”含有{1}（`{2}`），网站地址不能有",
    ),
    (
        "base_url \"{}\" is a placeholder address ({}), not the site's: every QR code and printed poster would send people there, and the program pages and posters say the address is not set yet; {}",
        "base_url “{0}”是占位地址（{1}），不是本站的地址：二维码和打印的海报都会指向它，项目页和海报上会注明网址尚未设置；{2}",
    ),
    (
        "set base_url in {} to the address the site is published at",
        "请在 {0} 里把 base_url 改为网站发布的地址",
    ),
    (
        "`{}` is not a pinyin syllable: expected Latin letters with an optional tone number, e.g. \"yue4\"",
        "`{0}` 不是拼音音节：应为拉丁字母，可带声调数字，例如 \"yue4\"",
    ),
    (
        "the reading of `{}` has {} syllable(s) for {} character(s): give one a character, e.g. \"yue4 qing1\" for 乐清",
        "`{0}` 的读音有 {1} 个音节，字却有 {2} 个：每个字一个音节，例如乐清写 \"yue4 qing1\"",
    ),
    ("a reading needs a word of one or more characters", "读音要对应至少一个字"),
    ("[readings] {}: {}", "[readings] {0}：{1}"),
    // Notices.
    (
        "notice file name `{}` is not a valid slug: use lowercase letters, digits and `-` (e.g. wenzhou-2020.toml)",
        "通知文件名 `{0}` 不合规：只用小写字母、数字和 `-`（例如 wenzhou-2020.toml）",
    ),
    ("title is empty: expected the notice's title (关于…的通知)", "title 是空的：应写通知的标题（关于……的通知）"),
    ("year = {} does not match the file name `{}`", "year = {0} 与文件名 `{1}` 中的年份不一致"),
    ("duplicate notice slug `{}`: {} has the same slug", "通知名 `{0}` 重复：{1} 也用了它"),
    (
        "body_file `{}` not found: expected a Markdown file beside this notice (notices/{})",
        "找不到 body_file `{0}`：应是与本通知放在一起的 Markdown 文件（notices/{1}）",
    ),
    ("give either `body` or `body_file`, not both", "`body` 和 `body_file` 只能写一个"),
    (
        "missing field `body` (or `body_file`): the notice's text in Markdown",
        "缺少 `body`（或 `body_file`）：通知正文，用 Markdown 写",
    ),
    (
        "this body file has more than {} characters, the most a notice's body may have (see docs/limits.md)",
        "正文文件超过 {0} 个字符，这是通知正文的上限（见 docs/limits.md）",
    ),
    (
        "{} must be a date like 2020-07-21 (a TOML date or a \"YYYY-MM-DD\" string)",
        "{0} 要写成 2020-07-21 这样的日期",
    ),
    (
        "{} must be a date like 2020-07-21 (a TOML date or a \"YYYY-MM-DD\" string): write {}",
        "{0} 要写成 2020-07-21 这样的日期：写成 {1}（年-月-日，不加引号）",
    ),
    (
        "no holiday calendar for {} (needed by this notice's working-day rules, {} {}): add calendar/{}.toml",
        "没有 {0} 年的节假日日历（本通知按工作日计算的规定要用：{1} {2}）：请添加 calendar/{3}.toml",
    ),
    (
        "placeholder text left from site-gen init: replace “{}” with the notice's own text",
        "还留有 site-gen init 的占位文字：请把“{0}”换成通知的实际内容",
    ),
    // Lists and programs.
    (
        "list id `{}` must be letters, digits, `-` or `_` (it becomes a file name)",
        "名单 id `{0}` 只能用字母、数字、`-` 或 `_`（它会成为文件名）",
    ),
    ("duplicate list id `{}` (first at line {})", "名单 id `{0}` 重复（第一次在第 {1} 行）"),
    ("program name is empty", "项目名称是空的"),
    (
        "duplicate program name `{}` in this notice (first at line {})",
        "本通知中项目名称 `{0}` 重复（第一次在第 {1} 行）",
    ),
    ("program `{}` has an empty organizer", "项目 `{0}` 的举办单位是空的"),
    ("list `{}` names this form twice", "名单 `{0}` 把这张表列了两次"),
    (
        "min_hours = {} must be a finite number of hours, 0 or more",
        "min_hours = {0} 应为不小于 0 的学时数",
    ),
    (
        "days = [{}, {}] must be [min, max] with 0 < min ≤ max",
        "days = [{0}, {1}] 应写成 [最少天数, 最多天数]，且 0 < 最少 ≤ 最多",
    ),
    (
        "days must be exactly [min, max] (two numbers of days, like [2, 3]), not 1 number",
        "days 要写成 [最少天数, 最多天数] 两个数（例如 [2, 3]），现在写了 1 个",
    ),
    (
        "days must be exactly [min, max] (two numbers of days, like [2, 3]), not {} numbers",
        "days 要写成 [最少天数, 最多天数] 两个数（例如 [2, 3]），现在写了 {0} 个",
    ),
    (
        "amount_wan must be a non-negative amount in 万元: a number (3, 2.5) or a decimal string (\"2.5\")",
        "amount_wan 以万元计，应为不小于 0 的数字（3、2.5）",
    ),
    (
        "due = \"{}\" is not a deadline: expected \"plan\" (plan_due_working_days before the start) or \"report\" (report_due_working_days after the end)",
        "due = \"{0}\" 不是期限：应为 \"plan\"（开班前 plan_due_working_days 个工作日）或 \"report\"（结束后 report_due_working_days 个工作日）",
    ),
    ("{} is not a phone number: {}", "{0} 不是电话号码：{1}"),
    // Attachments.
    (
        "invalid type: attachment `{}` must be a string, found {}",
        "类型不对：附件的 `{0}` 应为文字，现为 {1}",
    ),
    (
        "a list's attachments name forms (`form = \"<form id>\"`), not lists",
        "名单的附件只能是表格（`form = \"表格 id\"`），不能是名单",
    ),
    (
        "an attachment names either a `form` or a `list`, not both",
        "一个附件只能写 `form` 或 `list` 其中一个",
    ),
    (
        "unknown field `{}` in attachment, expected {}",
        "附件里不认识的键 `{0}`：可以写 {1}",
    ),
    (
        "attachment names list `{}`, which this notice does not define (its lists: {})",
        "附件写的名单 `{0}` 在本通知中没有（本通知的名单：{1}）",
    ),
    ("missing field `title` in attachment", "附件缺少 `title`"),
    (
        "attachment needs `form = \"<form id>\"` or `list = \"<list id>\"`",
        "附件要写 `form = \"表格 id\"` 或 `list = \"名单 id\"`",
    ),
    (
        "invalid type: an attachment is a form id string or a table {}, found {}",
        "类型不对：附件应为表格 id 或一个表 {0}，现为 {1}",
    ),
    (
        "attachment names unknown form `{}`: no forms/{}.toml (known forms: {})",
        "附件写的表格 `{0}` 不存在：没有 forms/{1}.toml（已有的表格：{2}）",
    ),
    // Forms.
    (
        "form id `{}` does not match the file name `{}` (expected id = \"{}\")",
        "表格 id `{0}` 与文件名 `{1}` 不一致（应写 id = \"{2}\"）",
    ),
    (
        "form `{}` is attached to no notice, yet its page /forms/{}/ is published: name it in a notice's attachments, or remove its file",
        "表格 `{0}` 没有被任何通知列为附件，但它的页面 /forms/{1}/ 仍会发布：请在通知的 attachments 中列出它，或删去它的文件",
    ),
    ("unknown form `{}` (known forms: {})", "没有表格 `{0}`（已有的表格：{1}）"),
    ("{}: no such form (the forms are the files of {})", "{0}：没有这张表格（表格是 {1} 里的文件）"),
    (
        "form id “{}”: expected lowercase letters, digits and hyphens, e.g. hangzhou-survey",
        "表格 id“{0}”：只用小写字母、数字和连字符，例如 hangzhou-survey",
    ),
    ("{} exists already: choose another id, or remove it first", "{0} 已经存在：换一个 id，或先删去它"),
    (
        "review these texts of the copy, which name a place or an attachment number of the original:",
        "请检查副本中的这些文字，它们写的是原表格的地名或附件编号：",
    ),
    // Links, addresses and text.
    (
        "{} `{}` is not a safe address (only http, https, mailto, tel and paths of the site are): it is shown as {}",
        "{0} `{1}` 不是安全的地址（只允许 http、https、mailto、tel 和本站路径）：显示为{2}",
    ),
    ("link to", "链接"),
    ("image", "图片"),
    ("its text, without the image", "图片的说明文字，不显示图片"),
    ("text that links nowhere", "不带链接的文字"),
    (
        "broken internal link `{}`: no page of the site has this path",
        "站内链接 `{0}` 无效：本站没有这个路径的页面",
    ),
    (
        "broken relative link `{}`: from {} it leads to {}, which no page of the site has",
        "相对链接 `{0}` 无效：从 {1} 指向 {2}，本站没有这个页面",
    ),
    ("`{}` holds U+{}, {}: remove it", "`{0}` 含有 U+{1}，{2}：请删去"),
    ("this text holds U+{}, {}: remove it", "这段文字含有 U+{0}，{1}：请删去"),
    (
        "the file name (the notice's slug) holds U+{}, {}: rename the file",
        "文件名（通知名）含有 U+{0}，{1}：请改文件名",
    ),
    (
        "the former slug “{}” is empty: write the notice's old file name without .toml",
        "旧地址名“{0}”是空的：请写通知原来的文件名（不带 .toml）",
    ),
    (
        "the former slug “{}” is not a folder name: write the notice's old file name without .toml",
        "旧地址名“{0}”不能作文件夹名：请写通知原来的文件名（不带 .toml）",
    ),
    (
        "the former slug “{}” holds a character an address cannot hold in a folder name (/ \\ ? # %): write the notice's old file name without .toml",
        "旧地址名“{0}”含有网址的文件夹名里不能有的字符（/ \\ ? # %）：请写通知原来的文件名（不带 .toml）",
    ),
    (
        "the former slug “{}” holds a space or a control character: write the notice's old file name without .toml",
        "旧地址名“{0}”含有空格或控制字符：请写通知原来的文件名（不带 .toml）",
    ),
    (
        "the former slug “{}” is this notice's own slug: drop it",
        "旧地址名“{0}”就是本通知现在的文件名：请删去",
    ),
    (
        "the former slug “{}” is the slug of a live notice ({}): /notices/{}/ cannot be both; drop it or rename that notice",
        "旧地址名“{0}”是现有通知（{1}）的文件名：/notices/{2}/ 不能两者都是；请删去它，或给那个通知改名",
    ),
    (
        "the former slug “{}” is already a former slug of {}: one old address can lead to one notice only",
        "旧地址名“{0}”已是 {1} 的旧地址名：一个旧地址只能通向一个通知",
    ),
    ("a control character (C0)", "这是控制字符（C0）"),
    ("a control character (C1)", "这是控制字符（C1）"),
    (
        "a bidirectional override, which makes the text read differently from how it is stored",
        "这是文字方向控制符，会让文字显示得和实际存的不一样",
    ),
    (
        "an invisible (zero-width) character, which makes a name look the same as another",
        "这是看不见的零宽字符，会让两个名称看起来一样",
    ),
    ("a line break, which only multi-line text may hold", "这是换行，只有多行文字可以有"),
    ("a tab, which only multi-line text may hold", "这是制表符，只有多行文字可以有"),
    // A long value cut short in a message.
    ("“{}… ({#} more characters)”", "“{0}…”（另有 {1} 个字符）"),
    ("{}… ({#} more characters)", "{0}…（另有 {1} 个字符）"),
    (
        "`{}` is {} characters long, more than the {} it may have (see docs/limits.md): {}",
        "`{0}` 有 {1} 个字符，超过上限 {2}（见 docs/limits.md）：{3}",
    ),
    (
        "{} “{}” and “{}” (notices/{}.toml) become the same page /{}/{}/ (`/` is written `／`, spaces around are dropped): write them the same way, or tell them apart",
        "{0}“{1}”与“{2}”（notices/{3}.toml）会成为同一个页面 /{4}/{5}/（`/` 写成 `／`，两端空格去掉）：请写成一样的，或加以区分",
    ),
    (
        "“{}” and “{}” differ only in letter case or in how their characters are composed (NFC/NFD): /{} and /{} would be one file on Windows and macOS; write both names the same way, or tell them apart",
        "“{0}”与“{1}”只在大小写或字符组成方式（NFC/NFD）上不同：/{2} 和 /{3} 在 Windows 和 macOS 上会是同一个文件；请写成一样的，或加以区分",
    ),
    (
        "{} name is {} bytes as a folder name ({}/…/), more than the {} a filesystem allows: shorten it",
        "{0}名称作为文件夹名有 {1} 字节（{2}/…/），超过文件系统允许的 {3}：请缩短",
    ),
    (
        "the output path {} has a name of {} bytes (“{}”), more than the {} a filesystem allows: shorten the name or id it is made from",
        "输出路径 {0} 中有一段长 {1} 字节（“{2}”），超过文件系统允许的 {3}：请缩短它来自的名称或 id",
    ),
    (
        "the page /{}/ would be written into a folder named {}, which is already the file of another page: rename the name or id it is made from",
        "页面 /{0}/ 要写进名为 {1} 的文件夹，而它已是另一个页面的文件：请改它来自的名称或 id",
    ),
    ("{} pages of the site would be written to {}: rename one of them", "本站有 {0} 个页面会写到 {1}：请改其中一个的名称"),
    // Content files.
    (
        "content folder {} does not exist or is not a folder",
        "内容文件夹 {0} 不存在，或不是文件夹",
    ),
    (
        "this file is a symlink to {}, outside the content folder: nothing outside content/ is read into the site; copy the file into the content folder instead",
        "这个文件是指向 {0} 的符号链接，在内容文件夹之外：content/ 之外的文件不会读入网站；请把文件复制到内容文件夹里",
    ),
    (
        "this file is a symlink to {}, which does not exist: expected a text file; remove the link or put the file there",
        "这个文件是指向 {0} 的符号链接，但那里没有文件：请删去链接，或把文件放到那里",
    ),
    (
        "this is {}, not a file: expected a text file saved as UTF-8",
        "这是{0}，不是文件：应为存成 UTF-8 的文本文件",
    ),
    ("a FIFO (named pipe)", "命名管道"),
    ("a block device", "块设备"),
    ("a character device", "字符设备"),
    ("this file cannot be read ({})", "这个文件读不了（{0}）"),
    ("it is larger than {} MiB, the limit for one file", "它大于 {0} MiB，这是单个文件的上限"),
    ("it is {}, not a file: expected a file", "它是{0}，不是文件：应为一个文件"),
    // Output.
    (
        "refusing to replace {}: it is not empty and was not written by site-gen (it has no {} manifest), so a build would delete its files (for example {}); {}",
        "不替换 {0}：它不是空的，也不是 site-gen 写的（没有 {1} 清单），构建会删掉其中的文件（例如 {2}）；{3}",
    ),
    (
        "refusing to replace {}: it holds {} that the last build did not write ({}), which a build would delete; {}",
        "不替换 {0}：其中有 {1}不是上次构建写的（{2}），构建会把它们删掉；{3}",
    ),
    ("1 file", "1 个文件"),
    ("{#} files", "{0} 个文件"),
    ("{} and {#} more", "{0}，另有 {1} 个"),
    (
        "choose an empty or new folder with --out, or move those files away first",
        "请用 --out 指定一个空的或新的文件夹，或先把这些文件移走",
    ),
    (
        "refusing to build into {}: it is a file, not a folder; choose another --out",
        "不能构建到 {0}：它是文件，不是文件夹；请换一个 --out",
    ),
    (
        "refusing to build: {} already exists and was not made by this build; move it away",
        "不构建：{0} 已存在，且不是本次构建建的；请把它移走",
    ),
    (
        "refusing to use {} as the output folder: it is a filesystem root",
        "不能用 {0} 作输出文件夹：它是文件系统的根",
    ),
    (
        "refusing to use {} as the output folder: it is replaced on every build and holds the content {}",
        "不能用 {0} 作输出文件夹：每次构建都会替换它，而内容 {1} 在里面",
    ),
    (
        "{} is not the output of an earlier build (it has no {} manifest)",
        "{0} 不是以前构建的输出（没有 {1} 清单）",
    ),
    (
        "{} was written into the output during the build; it is kept in {} (list it under static/ or move it away before the next build)",
        "{0} 是构建期间写进输出文件夹的；它保留在 {1}（请放进 static/，或在下次构建前移走）",
    ),
    (
        "{} was written over during the build and the new output holds what was written; build again",
        "{0} 在构建期间被改写，新的输出里是改写后的内容；请重新构建",
    ),
    (
        "the new output is in place, but the old one could not be removed from {}: {}",
        "新的输出已就位，但旧的无法从 {0} 删除：{1}",
    ),
    (
        "the old output was kept in {}: it holds {} that the build did not write and that could not be moved into the new output; move them away",
        "旧的输出保留在 {0}：其中有 {1} 不是构建写的，也无法移进新的输出；请把它们移走",
    ),
    (
        "{} is left from an interrupted build and holds {} that no build wrote; it is kept, move those files away",
        "{0} 是中断的构建留下的，其中有 {1} 不是构建写的；已保留，请把这些文件移走",
    ),
    ("restoring {} from an interrupted build ({})", "正在从中断的构建恢复 {0}（{1}）"),
    (
        "waiting for another site-gen build into {} to finish …",
        "另一个 site-gen 正在构建到 {0}，等它完成 …",
    ),
    (
        "built {} notices, {} programs, {} forms: {} files in {} ({} s)",
        "已构建 {0} 个通知、{1} 个项目、{2} 张表格：{3} 个文件，在 {4}（{5} 秒）",
    ),
    (
        "ok: {} notices, {} programs, {} forms, {} files would be written",
        "检查通过：{0} 个通知、{1} 个项目、{2} 张表格，将写出 {3} 个文件",
    ),
    // static/ beside content/.
    (
        "this file would be written as {}, which the build writes itself ({}); rename or remove it",
        "这个文件会写成 {0}，而构建自己要写这个文件（{1}）；请改名或删去它",
    ),
    (
        "this file would be written as {}, a folder of the build's own files (such as {}); rename or remove it",
        "这个文件会写成 {0}，而这是构建自己的文件所在的文件夹（例如 {1}）；请改名或删去它",
    ),
    (
        "this file would be written under {}, a file the build writes itself; move it elsewhere in static/",
        "这个文件会写在 {0} 之下，而那是构建自己要写的文件；请把它移到 static/ 里别的地方",
    ),
    (
        "this file would be written as {}, the precompressed copy that the build writes of its own {}; rename or remove it",
        "这个文件会写成 {0}，而这是构建为自己的 {1} 写的压缩副本；请改名或删去它",
    ),
    (
        "{} is the name of the build's own record of its files; rename this file",
        "{0} 是构建记录自己所写文件的名字；请给这个文件改名",
    ),
    (
        "static/ is {}, not a folder: put the files to ship as they are (CNAME, robots.txt, a logo) in a folder named static beside content/",
        "static/ 是{0}，不是文件夹：要原样发布的文件（CNAME、robots.txt、标志图片）请放在 content/ 旁边名为 static 的文件夹里",
    ),
    (
        "static/ is a symlink to a folder that does not exist; remove the link or make the folder",
        "static/ 是指向不存在的文件夹的符号链接；请删去链接，或建好那个文件夹",
    ),
    ("this folder cannot be read ({})", "这个文件夹读不了（{0}）"),
    (
        "this file and {} differ only in letter case: on a case-insensitive disk (Windows, macOS) they are one file; rename one",
        "这个文件和 {0} 只有大小写不同：在不区分大小写的磁盘上（Windows、macOS）它们是同一个文件；请改其中一个的名字",
    ),
    (
        "this file's name is not valid Unicode, so it cannot be a web address; rename it",
        "这个文件名不是有效的 Unicode，不能作网址；请改名",
    ),
    (
        "this file is a symlink to {}, which does not exist; remove the link or put the file there",
        "这个文件是指向 {0} 的符号链接，但那里没有文件；请删去链接，或把文件放到那里",
    ),
    (
        "this file is a symlink to {}, outside the site's folder: nothing outside it is copied into the site; copy the file into static/ instead",
        "这个文件是指向 {0} 的符号链接，在网站的文件夹之外：之外的文件不会复制进网站；请把文件复制到 static/ 里",
    ),
    (
        "this is {}, not a file: static/ holds files to ship as they are",
        "这是{0}，不是文件：static/ 里放的是要原样发布的文件",
    ),
    // Serve.
    (
        "(no good build yet: the pages show these errors until they are fixed)",
        "（还没有成功的构建：改正之前，页面显示这些错误）",
    ),
    ("(still serving the last good build)", "（仍在提供上一次成功构建的网站）"),
    ("updated {}: {} files written, {} removed ({} s)", "已更新 {0}：写入 {1} 个文件，删除 {2} 个（{3} 秒）"),
    ("cannot listen on {}: {}", "无法在 {0} 上监听：{1}"),
    // Import.
    (
        "{} list {}: {} programs from {}, sheet {}, header row {}",
        "{0} 名单 {1}：从 {3} 读出 {2} 个项目，工作表 {4}，表头在第 {5} 行",
    ),
    ("{} (read as {})", "{0}（按 {1} 编码读取）"),
    ("  added   {}", "  新增    {0}"),
    ("  changed {} ({})", "  修改    {0}（{1}）"),
    ("  removed     {} (not in the sheet)", "  删除        {0}（表中已没有）"),
    (
        "wrote {} ({} unchanged, {} changed, {} added, {} removed)",
        "已写入 {0}（{1} 项未变，{2} 项修改，{3} 项新增，{4} 项删除）",
    ),
    (
        "{} unchanged, {} changed, {} added, {} removed",
        "{0} 项未变，{1} 项修改，{2} 项新增，{3} 项删除",
    ),
    ("{}: no such file", "{0}：没有这个文件"),
    (
        "{}: not a spreadsheet this command reads: expected a .xlsx, .xls, .ods or .csv file",
        "{0}：不是本命令能读的表格：应为 .xlsx、.xls、.ods 或 .csv 文件",
    ),
    ("unknown notice `{}` (known notices: {})", "没有通知 `{0}`（已有的通知：{1}）"),
    ("unknown notice `{}` (notices in {}: {})", "没有通知 `{0}`（{1} 里的通知：{2}）"),
    ("unknown notice `{}`", "没有通知 `{0}`"),
    ("notice `{}` has no list `{}` (its lists: {})", "通知 `{0}` 没有名单 `{1}`（它的名单：{2}）"),
    (
        "notice `{}` has no list `{}` (its lists: {}); a new list needs its [[lists]] entry with id and title in {} first",
        "通知 `{0}` 没有名单 `{1}`（它的名单：{2}）；新的名单要先在 {3} 里写好它的 [[lists]]（id 和 title）",
    ),
    (
        "{}: no header row found on sheet {}: expected a row with the column names 高研班名称 and 举办单位 (and any of {}), below any title rows",
        "{0}：工作表 {1} 上找不到表头行：应有一行写着列名 高研班名称 和 举办单位（以及 {2} 中的任意几个），在标题行之下",
    ),
    (
        "{}: no header row found on sheets {}: expected a row with the column names 高研班名称 and 举办单位 (and any of {}), below any title rows",
        "{0}：工作表 {1} 上都找不到表头行：应有一行写着列名 高研班名称 和 举办单位（以及 {2} 中的任意几个），在标题行之下",
    ),
    (
        "the lists of notice `{}` have rules of their own: choose one with --list (its lists: {})",
        "通知 `{0}` 的各个名单有各自的规定：请用 --list 选一个（它的名单：{1}）",
    ),
    (
        "{} has a plan list on each of the sheets {}: choose one with --sheet NAME",
        "{0} 的工作表 {1} 上各有一份计划名单：请用 --sheet 工作表名 选一个",
    ),
    ("{} has no sheet `{}` (its sheets: {})", "{0} 没有工作表 `{1}`（它的工作表：{2}）"),
    ("{} cell of {} could not be read: nothing written", "{1} 有 {0} 个单元格读不了：什么也没写"),
    ("{} cells of {} could not be read: nothing written", "{1} 有 {0} 个单元格读不了：什么也没写"),
    (
        "the list read from {} would make the content above invalid: nothing written",
        "从 {0} 读出的名单会使上面的内容出错：什么也没写",
    ),
    (
        "the content already had the errors above before this import (in {}), not from {}: correct them and import again; nothing written",
        "上面的错误在导入之前就已经在内容里了（{0}），不是 {1} 造成的：请先改正它们，再导入。没有写入任何文件。",
    ),
    (
        "the content already had the errors above before this import (in {}), not from {}",
        "上面的错误在导入之前就已经在内容里了（{0}），不是 {1} 造成的",
    ),
    ("{} already holds this list: nothing to write", "{0} 里已经是这份名单：不用写"),
    ("dry run: {} not written ({})", "试运行：未写入 {0}（{1}）"),
    (
        "{} is empty: expected the program's {} (every row with a program needs it)",
        "{0} 是空的：应填项目的{1}（每个有项目的行都要填）",
    ),
    (
        "row {} skipped: it has no 高研班名称 and no 举办单位 (it holds {})",
        "第 {0} 行已跳过：没有高研班名称，也没有举办单位（它有 {1}）",
    ),
    ("column {} is not imported (the list's columns are {})", "列 {0} 不导入（名单的列是 {1}）"),
    (
        "联系人 is empty but 联系电话 holds {}: expected the name of the person to call",
        "联系人是空的，但联系电话有 {0}：请填联系人姓名",
    ),
    (
        "{} contacts and one number: the number is given to each, a guess",
        "{0} 位联系人、一个号码：号码给了每一位，这是推测",
    ),
    (
        "{} contacts and {} numbers: paired in order, the last contact given the rest, a guess",
        "{0} 位联系人、{1} 个号码：按顺序配对，余下的号码给最后一位，这是推测",
    ),
    (
        "{} contacts and {} numbers: paired in order, the last contacts without a number, a guess",
        "{0} 位联系人、{1} 个号码：按顺序配对，最后几位没有号码，这是推测",
    ),
    (
        "{} contacts and {} numbers in one row: paired in order, a guess (the sheet does not say whose number is whose)",
        "{0} 位联系人、{1} 个号码在同一行：按顺序配对，这是推测（表中没有写哪个号码是谁的）",
    ),
    ("expected an amount in 万元 such as 3万, 2.5万元 or 3", "应为以万元计的金额，例如 3万、2.5万元 或 3"),
    ("{}, not negative", "{0}，不能是负数"),
    ("expected text", "应为文字"),
    (
        "expected phone numbers: mobiles (11 digits starting 13-19) or landlines (such as 88879706 or 0577-88888888), several separated by spaces, commas, 、 or /",
        "应为手机号（13-19 开头的 11 位数字）或固定电话（例如 88879706 或 0577-88888888），几个号码之间用空格、逗号、顿号或 / 隔开",
    ),
    (
        "{} holds {}, which is not a phone number (a number cell drops a leading 0; format the column as text): {}",
        "{0}填的是 {1}，不是电话号码（数字格式的单元格会去掉开头的 0；请把这一列设为文本格式）：{2}",
    ),
    ("{} holds {}: {}", "{0}填的是 {1}：{2}"),
    ("(empty)", "（空）"),
    ("the number {}", "数字 {0}"),
    ("the value TRUE", "真假值 TRUE"),
    ("the value FALSE", "真假值 FALSE"),
    ("the date {}", "日期 {0}"),
    ("the error value {}", "错误值 {0}"),
    ("removed {} from the cell", "已从单元格中去掉{0}"),
    ("invisible or control characters ({})", "看不见的字符或控制字符（{0}）"),
    (
        "and {} more cells had invisible or control characters removed",
        "另有 {0} 个单元格去掉了看不见的字符或控制字符",
    ),
    ("line {} of the file (row {}): {}", "文件第 {0} 行（第 {1} 行数据）：{2}"),
    (
        "cannot read {}: the file is not text in UTF-8, GBK/GB18030 or UTF-16 (save it from Excel or WPS as “CSV UTF-8” or export it from the form page)",
        "读不了 {0}：文件不是 UTF-8、GBK/GB18030 或 UTF-16 文本（请在 Excel 或 WPS 里另存为“CSV UTF-8”，或从表格页面导出）",
    ),
    (
        "lines 1-{} are UTF-8 but line {} (byte {}) is not: the file mixes two encodings (UTF-8 rows and rows in another, such as GBK); save the whole file again from Excel or WPS as CSV UTF-8 or as .xlsx",
        "第 1-{0} 行是 UTF-8，第 {1} 行（第 {2} 字节）却不是：文件混用了两种编码（UTF-8 的行和 GBK 等其他编码的行）；请在 Excel 或 WPS 里把整个文件另存为 CSV UTF-8 或 .xlsx",
    ),
    ("not a readable .xlsx workbook", "不是能读的 .xlsx 工作簿"),
    ("not a readable .xls workbook ({})", "不是能读的 .xls 工作簿（{0}）"),
    ("not a readable .ods spreadsheet ({})", "不是能读的 .ods 表格（{0}）"),
    // init and new form.
    ("created a new site in {}:", "已在 {0} 建好新网站："),
    ("next:", "接下来："),
    (
        "  1. fill in {} (or: site-gen import NOTICE.docx --content {})",
        "  1. 填写 {0}（或者用 Word 文件：site-gen import 通知.docx --content {1}）",
    ),
    (
        "  2. site-gen import PLAN.xlsx {}",
        "  2. site-gen import 计划名单.xlsx {0}",
    ),
    (
        "  3. site-gen serve --content {}      # preview, with live reload",
        "  3. site-gen serve --content {0}      # 预览，改动后自动刷新",
    ),
    (
        "  4. set base_url in {} to the address the site is published at, then",
        "  4. 把 {0} 里的 base_url 改为网站发布的地址，然后",
    ),
    (
        "  4. site-gen build --content {}      # dist/ is the site: copy it to the host at {}",
        "  4. site-gen build --content {0}      # dist/ 就是网站：把它复制到 {1} 的服务器上",
    ),
    (
        "     site-gen build --content {}      # dist/ is the site: copy it to the host",
        "     site-gen build --content {0}      # dist/ 就是网站：把它复制到服务器上",
    ),
    (
        "{} is not empty: site-gen init makes a new site in an empty or new folder",
        "{0} 不是空的：site-gen init 只在空的或新的文件夹里建新网站",
    ),
    (
        "{} is not a folder: site-gen init makes a new site in an empty or new folder",
        "{0} 不是文件夹：site-gen init 只在空的或新的文件夹里建新网站",
    ),
    ("--forms {}: expected wenzhou, shandong or none", "--forms {0}：应为 wenzhou、shandong 或 none"),
    ("wrote {}", "已写入 {0}"),
    // What the file system refused (after the messages above that name a reason).
    ("cannot copy {}: {}", "无法复制 {0}：{1}"),
    ("cannot create folder {}: {}", "无法创建文件夹 {0}：{1}"),
    ("cannot create the lock file {}: {}", "无法创建锁文件 {0}：{1}"),
    ("cannot list {}: {}", "无法列出 {0} 的内容：{1}"),
    ("cannot lock {}: {}", "无法锁定 {0}：{1}"),
    ("cannot mark the old output {}: {}", "无法标记旧的输出 {0}：{1}"),
    ("cannot read the symlink {}: {}", "无法读取符号链接 {0}：{1}"),
    ("cannot read {}: {}", "无法读取 {0}：{1}"),
    ("cannot remove {}: {}", "无法删除 {0}：{1}"),
    ("cannot rename {}: {}", "无法重命名 {0}：{1}"),
    ("cannot swap in the new output {}: {}", "无法换上新的输出 {0}：{1}"),
    ("cannot write {}: {}", "无法写入 {0}：{1}"),
    ("No such file or directory (os error {#})", "没有这个文件或文件夹（os error {0}）"),
    ("Permission denied (os error {#})", "没有权限（os error {0}）"),
    ("Read-only file system (os error {#})", "文件系统是只读的（os error {0}）"),
    ("No space left on device (os error {#})", "磁盘空间不足（os error {0}）"),
    ("Not a directory (os error {#})", "不是文件夹（os error {0}）"),
    ("Is a directory (os error {#})", "是文件夹（os error {0}）"),
    ("File exists (os error {#})", "文件已存在（os error {0}）"),
    ("Directory not empty (os error {#})", "文件夹不是空的（os error {0}）"),
    // Last: what no entry above says more precisely.
    ("expected {}", "应为 {0}"),
];

/// `text` in Chinese: each line translated where the catalogue has it, the others as
/// they are.
pub fn to_chinese(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&localize_line(line));
    }
    out
}

/// One line: `path:line:col: message` keeps its place and has its message translated.
fn localize_line(line: &str) -> String {
    let (place, message) = split_place(line);
    match translate(message) {
        Some(zh) => format!("{place}{zh}"),
        None => line.to_string(),
    }
}

/// (`path:12:3: `, the rest) when the line starts with a place; ("", line) otherwise.
fn split_place(line: &str) -> (&str, &str) {
    let bytes = line.as_bytes();
    let mut from = 0;
    while let Some(i) = line[from..].find(':').map(|i| i + from) {
        // `:digits:digits: `
        let after = &bytes[i + 1..];
        let d1 = after.iter().take_while(|b| b.is_ascii_digit()).count();
        if d1 > 0 && after.get(d1) == Some(&b':') {
            let after2 = &after[d1 + 1..];
            let d2 = after2.iter().take_while(|b| b.is_ascii_digit()).count();
            if d2 > 0 && after2.get(d2) == Some(&b':') && after2.get(d2 + 1) == Some(&b' ') {
                let end = i + 1 + d1 + 1 + d2 + 2;
                return (&line[..end], &line[end..]);
            }
        }
        from = i + 1;
    }
    ("", line)
}

/// The Chinese of one message, if an entry matches it whole; its varying parts are
/// translated too where an entry matches them.
fn translate(message: &str) -> Option<String> {
    if message.is_empty() {
        return None;
    }
    CATALOGUE.iter().find_map(|(en, zh)| {
        let parts = captures(en, message)?;
        let mut out = String::with_capacity(zh.len() + message.len());
        let mut rest = *zh;
        while let Some(open) = rest.find('{') {
            let close = rest[open..].find('}').map(|c| c + open);
            let index = close.and_then(|c| rest[open + 1..c].parse::<usize>().ok());
            match (close, index) {
                (Some(close), Some(n)) if n < parts.len() => {
                    out.push_str(&rest[..open]);
                    let part = parts[n];
                    match translate(part) {
                        Some(t) if part.len() < message.len() => out.push_str(&t),
                        _ => out.push_str(part),
                    }
                    rest = &rest[close + 1..];
                }
                _ => {
                    out.push_str(&rest[..=open]);
                    rest = &rest[open + 1..];
                }
            }
        }
        out.push_str(rest);
        Some(out)
    })
}

/// The varying parts of `text` when it has the shape of `pattern` (`{}` for each part,
/// matched as short as possible, the last one to the end; `{#}` for a part that is a
/// number, digits only).
fn captures<'a>(pattern: &str, text: &'a str) -> Option<Vec<&'a str>> {
    let (literals, numbers) = holes(pattern);
    let first = literals[0];
    let last = literals[literals.len() - 1];
    if literals.len() == 1 {
        return (text == pattern).then(Vec::new);
    }
    let mut at = text.strip_prefix(first).map(|_| first.len())?;
    if text.len() < first.len() + last.len() || !text.ends_with(last) {
        return None;
    }
    let end = text.len() - last.len();
    let mut parts = Vec::with_capacity(literals.len() - 1);
    for lit in &literals[1..literals.len() - 1] {
        let found = text[at..end].find(lit)? + at;
        if found == at {
            // An empty part is no part: a name, a number or a message is never empty.
            return None;
        }
        parts.push(&text[at..found]);
        at = found + lit.len();
    }
    if at > end {
        return None;
    }
    // The last part may be empty (a plural `s`, a hint that is not always given).
    parts.push(&text[at..end]);
    let numbers_fit = parts.iter().zip(&numbers).all(|(part, &number)| {
        !number || (!part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
    });
    numbers_fit.then_some(parts)
}

/// The literal texts of `pattern` around its holes, and for each hole whether it is a
/// number (`{#}`) rather than any text (`{}`).
fn holes(pattern: &str) -> (Vec<&str>, Vec<bool>) {
    let mut literals = Vec::new();
    let mut numbers = Vec::new();
    let mut rest = pattern;
    loop {
        let any = rest.find("{}");
        let number = rest.find("{#}");
        let (at, len, is_number) = match (any, number) {
            (Some(a), Some(n)) if n < a => (n, 3, true),
            (Some(a), _) => (a, 2, false),
            (None, Some(n)) => (n, 3, true),
            (None, None) => break,
        };
        literals.push(&rest[..at]);
        numbers.push(is_number);
        rest = &rest[at + len..];
    }
    literals.push(rest);
    (literals, numbers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_is_kept_and_its_message_translated() {
        let text = "content/notices/a.toml:3:1: missing field `title`\n  |\n3 | x = 1\n  | ^";
        assert_eq!(
            to_chinese(text),
            "content/notices/a.toml:3:1: 缺少 `title`（这一项必须填写）\n  |\n3 | x = 1\n  | ^"
        );
    }

    #[test]
    fn nested_parts_are_translated() {
        assert_eq!(
            translate("warning: `title` holds U+200B, an invisible (zero-width) character, which makes a name look the same as another: remove it").unwrap(),
            "警告：`title` 含有 U+200B，这是看不见的零宽字符，会让两个名称看起来一样：请删去"
        );
        assert_eq!(
            translate("invalid type: integer `3`, expected a string").unwrap(),
            "类型不对：写的是整数 `3`，应为加英文双引号的文字"
        );
        assert_eq!(
            translate("3 content errors found").unwrap(),
            "发现 3 处内容错误"
        );
    }

    #[test]
    fn fragments_of_lists_counts_and_places_are_translated() {
        assert_eq!(
            translate("unknown field `phone`, expected `name` or `phones`").unwrap(),
            "不认识的键 `phone`：这里可以写的键是 `name` 或 `phones`"
        );
        assert_eq!(
            translate("refusing to replace dist: it holds 2 files that the last build did not write (a, b), which a build would delete; choose an empty or new folder with --out, or move those files away first").unwrap(),
            "不替换 dist：其中有 2 个文件不是上次构建写的（a, b），构建会把它们删掉；请用 --out 指定一个空的或新的文件夹，或先把这些文件移走"
        );
        assert_eq!(
            translate("a, b, c and 4 more").unwrap(),
            "a, b, c，另有 4 个"
        );
        assert_eq!(
            translate("x.csv: line 3, column E: 资助金额 holds \"三万\": expected text").unwrap(),
            "x.csv：第 3 行 E 列：资助金额填的是 \"三万\"：应为文字"
        );
    }

    #[test]
    fn a_number_part_is_digits_only() {
        assert_eq!(captures("{#} files", "12 files"), Some(vec!["12"]));
        assert_eq!(captures("{#} files", "the files"), None);
        assert_eq!(captures("{#} files", " files"), None);
        assert_eq!(captures("{} and {#} more", "a and b"), None);
        assert_eq!(
            captures("{} and {#} more", "a, b and 3 more"),
            Some(vec!["a, b", "3"])
        );
    }

    #[test]
    fn an_unknown_message_stays_english() {
        assert_eq!(translate("something new"), None);
        assert_eq!(to_chinese("something new"), "something new");
    }

    #[test]
    fn every_entry_matches_its_own_shape() {
        for (en, zh) in CATALOGUE {
            let sample = en.replace("{#}", "12").replace("{}", "X1");
            assert!(
                captures(en, &sample).is_some(),
                "entry `{en}` does not match its own shape"
            );
            let parts = en.matches("{}").count() + en.matches("{#}").count();
            for n in 0..parts {
                assert!(
                    zh.contains(&format!("{{{n}}}")),
                    "`{zh}` drops part {n} of `{en}`"
                );
            }
        }
    }
}
