//! Synthetic content for benchmarks: N notices of M programs each, written as ordinary
//! content files (TOML and Markdown) so that a build of it exercises every stage.

use std::fmt::Write as _;
use std::path::Path;

use crate::fsx::{self, FsError};

/// Writes `site.toml`, one calendar and `notices` notices with `programs` programs
/// each (spread over two lists) under `dir`.
pub fn generate(dir: &Path, notices: usize, programs: usize) -> Result<(), FsError> {
    fsx::create_dir_all(&dir.join("notices"))?;
    fsx::create_dir_all(&dir.join("calendar"))?;
    fsx::write(
        &dir.join("site.toml"),
        "title = \"专业技术人员高级研修班（基准测试）\"\nbase_url = \"https://bench.example.org/\"\nlanguage = \"zh-CN\"\nfooter = \"基准测试数据\"\n"
            .as_bytes(),
    )?;
    fsx::write(
        &dir.join("calendar/2024.toml"),
        "year = 2024\nsource = \"基准\"\n[[holidays]]\nname = \"国庆节\"\noff = [\"2024-10-01/2024-10-07\"]\nwork = [\"2024-09-29\", \"2024-10-12\"]\n".as_bytes(),
    )?;
    let categories = [
        "数字经济",
        "战略新兴产业、高端装备制造类",
        "疫情防控与科研、公共卫生类",
        "现代农业",
        "其他",
    ];
    let fundings = ["一般类资助", "自筹", "重点类", "一般类"];
    for n in 0..notices {
        let slug = format!("notice-{n:04}");
        let mut t = String::new();
        let day = n % 28 + 1;
        let month = n % 12 + 1;
        let _ = write!(
            t,
            "title = \"关于公布第{n}批专业技术人员高级研修班计划的通知\"\ndoc_number = \"测人社发〔2024〕{n}号\"\nissuer = \"测试市人力资源和社会保障局\"\ndate = 2024-{month:02}-{day:02}\nregion = \"测试省\"\nbody_file = \"{slug}.md\"\nattachments = [\n  {{ title = \"省级项目名单\", list = \"a\" }},\n  {{ title = \"市级项目名单\", list = \"b\" }},\n]\n\n[rules]\nmin_trainees = 30\ndays = [2, 3]\nplan_due_working_days = 10\nreport_due_working_days = 20\ncomplete_by = 2024-11-30\n"
        );
        for (li, list) in ["a", "b"].iter().enumerate() {
            let _ = write!(
                t,
                "\n[[lists]]\nid = \"{list}\"\ntitle = \"第{n}批{}项目名单\"\n",
                if li == 0 { "省级" } else { "市级" }
            );
            let half = programs / 2;
            let count = if li == 0 { half } else { programs - half };
            for p in 0..count {
                let k = n * programs + li * half + p;
                let _ = write!(
                    t,
                    "\n[[lists.programs]]\nname = \"高级研修项目{k}：智能制造与数字化转型\"\norganizer = \"测试单位{}\"\ncategory = \"{}\"\nfunding = \"{}\"\namount_wan = \"{}.5\"\ncontacts = [{{ name = \"联系人{k}\", phones = [\"135{:08}\"] }}]\n",
                    k % 500,
                    categories[k % categories.len()],
                    fundings[k % fundings.len()],
                    k % 4,
                    k
                );
            }
        }
        fsx::write(&dir.join(format!("notices/{slug}.toml")), t.as_bytes())?;
        let body = format!(
            "各有关单位：\n\n现将第{n}批计划予以公布，并就有关事项通知如下：\n\n一、每期学员不少于30名，研修时间为2-3天。\n\n二、办班前10个工作日报送办班方案。详见[项目名单](/notices/{slug}/#list-a)。\n\n三、联系电话：89090161。\n"
        );
        fsx::write(&dir.join(format!("notices/{slug}.md")), body.as_bytes())?;
    }
    Ok(())
}
