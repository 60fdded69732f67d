//! The command line, in Chinese: every heading, option and help text clap would write in
//! English is given here (see `clap_zh` for its errors).

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

const TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// 整改台账：巡视巡察整改的账本
#[derive(Parser)]
#[command(
    name = "zhenggai",
    version,
    help_template = TEMPLATE,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_help_heading = "命令",
    subcommand_value_name = "命令",
    next_help_heading = "选项",
    after_help = "运行 zhenggai 命令 --help 查看该命令的说明。"
)]
pub struct Cli {
    /// 数据目录：内置 SQLite 数据库和日志放在这里
    #[arg(
        long,
        env = "ZHENGGAI_DATA",
        default_value = "./zhenggai-data",
        global = true,
        value_name = "目录"
    )]
    pub data: PathBuf,
    /// 数据库地址 sqlite://文件 或 postgres://…，优先于 --data
    #[arg(long, env = "ZHENGGAI_DATABASE", global = true, value_name = "地址")]
    pub database: Option<String>,
    /// 佐证材料文件大小上限（MB）
    #[arg(
        long,
        env = "ZHENGGAI_MAX_FILE_MB",
        default_value_t = 50,
        global = true,
        value_name = "MB"
    )]
    pub max_file_mb: u64,
    /// 显示帮助
    #[arg(short = 'h', long = "help", action = ArgAction::Help, global = true)]
    pub help: Option<bool>,
    /// 显示版本
    #[arg(short = 'V', long = "version", action = ArgAction::Version)]
    pub version: Option<bool>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Json,
    /// Excel 整改台账（须指定 --round 和 -o；--unit 只导出一个单位）
    Xlsx,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsFormat {
    /// 供阅读的文字：通报口径的一段话，按单位、按问题类别、按月
    Txt,
    Json,
    /// Excel 工作簿（须指定 -o）
    Xlsx,
}

#[derive(Args)]
pub struct Stats {
    /// 只统计这一轮（标识）；缺省为各轮
    #[arg(long, value_name = "轮次")]
    pub round: Option<String>,
    #[arg(long, value_enum, default_value = "txt", value_name = "格式")]
    pub format: StatsFormat,
    /// 同 --format json
    #[arg(long)]
    pub json: bool,
    /// 输出文件（缺省为标准输出）
    #[arg(short, long, value_name = "文件")]
    pub output: Option<PathBuf>,
    /// 以哪一天计算逾期和预警（默认今天）
    #[arg(long, value_name = "日期")]
    pub today: Option<String>,
}

#[derive(Subcommand)]
#[command(help_template = TEMPLATE)]
pub enum Command {
    /// 解析已发布的整改通报，输出 zhenggai.notice.v1 JSON，每个文件一行；目录则递归解析其中所有通报（多核并行，按路径排序）
    #[command(help_template = TEMPLATE, next_help_heading = "选项")]
    Parse {
        /// 通报文件（.txt .docx .html）或目录
        #[arg(required = true, value_name = "文件或目录", help_heading = "参数")]
        files: Vec<PathBuf>,
        /// 输出缩进排版的 JSON
        #[arg(long)]
        pretty: bool,
    },
    /// 把一份整改通报导入为某轮巡察对某单位的反馈（一个事务）
    #[command(help_template = TEMPLATE, next_help_heading = "选项")]
    ImportNotice(ImportNotice),
    /// 建立空数据库（每次启动也会自动升级结构）
    #[command(help_template = TEMPLATE, next_help_heading = "选项")]
    Init,
    /// 向空数据库写入演示账本和演示账号
    #[command(help_template = TEMPLATE, next_help_heading = "选项")]
    Demo,
    /// 校验事件日志的哈希链，以及每条记录、每个文件是否与日志一致
    #[command(help_template = TEMPLATE, next_help_heading = "选项")]
    Verify {
        /// 另行保存的锚点“序号:哈希”：证明日志仍含此事件、未被截断或改写
        #[arg(long, value_name = "锚点")]
        anchor: Option<String>,
    },
    /// 导出整个账本（zhenggai.ledger.v2 JSON；--with-evidence 时连同佐证文件打包为 zip），或一轮、一个单位的 Excel 整改台账（--format xlsx）
    #[command(help_template = TEMPLATE, next_help_heading = "选项")]
    Export {
        #[arg(long, value_enum, default_value = "json", value_name = "格式")]
        format: Format,
        /// 输出文件（缺省为标准输出）
        #[arg(short, long, value_name = "文件")]
        output: Option<PathBuf>,
        /// 连同佐证材料文件导出为 zip（须指定 -o）
        #[arg(long)]
        with_evidence: bool,
        #[command(flatten)]
        xlsx: XlsxScope,
    },
    /// 导入账本文档（.json 或带佐证文件的 .zip）或某单位的 Excel 整改台账（.xlsx，须指定 --round 和 --unit），要么全部导入，要么不导入
    #[command(help_template = TEMPLATE, next_help_heading = "选项")]
    Import {
        #[arg(value_name = "文件", help_heading = "参数")]
        file: PathBuf,
        /// 导入人，记入每个事件
        #[arg(long, default_value = "命令行导入", value_name = "姓名")]
        actor: String,
        #[command(flatten)]
        xlsx: XlsxScope,
    },
    /// 统计整改情况：完成、基本完成、未完成和完成率，按单位、按问题类别、按月，逾期、预警和整改成效
    #[command(help_template = TEMPLATE, next_help_heading = "选项")]
    Stats(Stats),
    /// 由台账生成某单位的整改进展情况通报（或 --final 整改情况通报），.docx 按党政机关公文格式
    #[command(help_template = TEMPLATE, next_help_heading = "选项")]
    Notice(NoticeArgs),
    /// 为逾期（红色预警）问题生成督办单，每个单位一份 .docx
    #[command(help_template = TEMPLATE, next_help_heading = "选项")]
    Supervise(SuperviseArgs),
    /// 管理用户：新建、列出、停用、启用、改密码、发放 API 令牌
    #[command(subcommand, help_template = TEMPLATE, subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    User(UserCommand),
    /// 启动网页服务（工作台、台账、销号、审计、接口）
    #[command(help_template = TEMPLATE, next_help_heading = "选项")]
    Serve(Serve),
    /// 在其他进程写入时为内置数据库做一份一致的备份
    #[command(help_template = TEMPLATE, next_help_heading = "选项")]
    Backup {
        /// 备份文件
        #[arg(short, long, value_name = "文件")]
        output: PathBuf,
    },
    /// 校验备份（及锚点）后用它替换内置数据库；请先停止服务
    #[command(help_template = TEMPLATE, next_help_heading = "选项")]
    Restore {
        #[arg(value_name = "备份文件", help_heading = "参数")]
        file: PathBuf,
        /// 另行保存的锚点“序号:哈希”
        #[arg(long, value_name = "锚点")]
        anchor: Option<String>,
    },
}

/// Where an Excel ledger comes from or goes to.
#[derive(Args)]
pub struct XlsxScope {
    /// Excel 台账：巡察轮次（标识或名称）
    #[arg(long, value_name = "轮次")]
    pub round: Option<String>,
    /// Excel 台账：单位（标识或名称）；导出时缺省为全轮各单位
    #[arg(long, value_name = "单位")]
    pub unit: Option<String>,
    /// Excel 台账：以哪一天计算逾期和预警的底色（默认今天）
    #[arg(long, value_name = "日期")]
    pub today: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NoticeFormat {
    /// Word 文档（党政机关公文格式）
    Docx,
    /// 纯文本
    Txt,
}

#[derive(Args)]
pub struct NoticeArgs {
    /// 巡察轮次（标识或名称）
    #[arg(long, value_name = "轮次")]
    pub round: String,
    /// 单位（标识或名称）
    #[arg(long, value_name = "单位")]
    pub unit: String,
    /// 整改情况通报（整改完成后）；缺省为整改进展情况通报
    #[arg(long = "final")]
    pub final_notice: bool,
    /// 公开版：不含标记为不公开的问题
    #[arg(long)]
    pub public: bool,
    #[arg(long, value_enum, default_value = "docx", value_name = "格式")]
    pub format: NoticeFormat,
    /// 输出文件
    #[arg(short, long, value_name = "文件")]
    pub output: PathBuf,
    /// 通报的日期（默认今天）
    #[arg(long, value_name = "日期")]
    pub today: Option<String>,
}

#[derive(Args)]
pub struct SuperviseArgs {
    /// 巡察轮次（标识或名称）
    #[arg(long, value_name = "轮次")]
    pub round: String,
    /// 只为这个单位生成（标识或名称）；缺省为该轮所有有逾期问题的单位
    #[arg(long, value_name = "单位")]
    pub unit: Option<String>,
    /// 输出目录（不存在时新建）
    #[arg(short, long, value_name = "目录")]
    pub output: PathBuf,
    /// 自定义 .docx 模板（占位符见 docs/supervision-template.md）；缺省用内置模板
    #[arg(long, value_name = "文件")]
    pub template: Option<PathBuf>,
    /// 回复期限：签发后第几个工作日
    #[arg(long, default_value_t = 5, value_name = "工作日")]
    pub reply_days: u32,
    /// 督办单位（落款）
    #[arg(long, default_value = "巡察工作领导小组办公室", value_name = "名称")]
    pub issuer: String,
    /// 签发日期，据此判断逾期（默认今天）
    #[arg(long, value_name = "日期")]
    pub today: Option<String>,
}

#[derive(Args)]
pub struct Serve {
    /// 监听地址
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "地址:端口")]
    pub listen: String,
    /// 数据库为空时先写入演示账本和演示账号
    #[arg(long)]
    pub demo: bool,
    /// 经 HTTPS 访问（例如在反向代理之后）：Cookie 加 Secure
    #[arg(long)]
    pub secure_cookies: bool,
    /// 在可信的反向代理之后：按 X-Forwarded-For 识别客户端地址
    #[arg(long)]
    pub behind_proxy: bool,
    /// 会话闲置多少分钟后失效
    #[arg(long, default_value_t = 30, value_name = "分钟")]
    pub idle_minutes: u64,
}

#[derive(Args)]
pub struct ImportNotice {
    #[arg(value_name = "文件", help_heading = "参数")]
    pub file: PathBuf,
    /// 巡察轮次名称；账本中没有时按通报新建
    #[arg(long, value_name = "名称")]
    pub round: String,
    /// 单位名称（默认取通报中的整改单位）
    #[arg(long, value_name = "名称")]
    pub unit: Option<String>,
    /// 只显示将要建立的结构，不写入（也不建立数据库）
    #[arg(long)]
    pub dry_run: bool,
    /// 文件有无法解码的字节时仍然导入
    #[arg(long)]
    pub allow_damaged: bool,
    /// 导入人，记入每个事件
    #[arg(long, default_value = "命令行导入", value_name = "姓名")]
    pub actor: String,
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// 新建用户；密码从终端输入，或从标准输入读第一行
    #[command(help_template = TEMPLATE, next_help_heading = "选项")]
    Add {
        /// 登录名
        #[arg(value_name = "登录名", help_heading = "参数")]
        login: String,
        /// 角色：admin office supervisor unit_editor unit_lead
        #[arg(long, value_name = "角色")]
        role: String,
        /// 所属单位（标识或名称），单位人员至少一个，可重复
        #[arg(long = "unit", value_name = "单位")]
        units: Vec<String>,
        /// 显示的姓名（默认同登录名）
        #[arg(long, value_name = "姓名")]
        name: Option<String>,
    },
    /// 列出用户
    #[command(help_template = TEMPLATE, next_help_heading = "选项")]
    List,
    /// 停用用户，并结束其所有会话
    #[command(help_template = TEMPLATE, next_help_heading = "选项")]
    Disable {
        #[arg(value_name = "登录名", help_heading = "参数")]
        login: String,
    },
    /// 重新启用用户
    #[command(help_template = TEMPLATE, next_help_heading = "选项")]
    Enable {
        #[arg(value_name = "登录名", help_heading = "参数")]
        login: String,
    },
    /// 重设密码；新密码从终端输入，或从标准输入读第一行
    #[command(help_template = TEMPLATE, next_help_heading = "选项")]
    Passwd {
        #[arg(value_name = "登录名", help_heading = "参数")]
        login: String,
    },
    /// 为用户发放 API 令牌（只显示这一次）
    #[command(help_template = TEMPLATE, next_help_heading = "选项")]
    Token {
        #[arg(value_name = "登录名", help_heading = "参数")]
        login: String,
        /// 令牌用途说明
        #[arg(long, default_value = "", value_name = "说明")]
        label: String,
    },
}
