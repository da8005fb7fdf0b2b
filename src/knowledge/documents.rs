//! What a clinic's knowledge base is made of: its markdown files (`knowledge/<tenant>/*.md`)
//! and the facts of its `clinic.yaml`, rendered as documents so that "quanto custa o botox?"
//! finds the clinic's own price whichever file holds it.

use std::fmt::Write as _;
use std::path::Path;

use sofia_core::clinic::{Clinic, facts};
use sofia_core::lang::weekday_name;

use super::KnowledgeError;

/// One document: a source name the eval suites refer to (`politicas.md`,
/// `clinic.yaml#servicos`), a title shown with its snippets, and markdown text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub source: String,
    pub title: String,
    pub text: String,
}

/// Every document of the clinic whose folder is `dir`: its markdown files in name order, then
/// the rendered facts.
pub fn load(clinic: &Clinic, dir: &Path) -> Result<Vec<Document>, KnowledgeError> {
    let mut documents = markdown_files(dir)?;
    documents.extend(clinic_facts(clinic));
    Ok(documents)
}

fn markdown_files(dir: &Path) -> Result<Vec<Document>, KnowledgeError> {
    let read_dir = |source| KnowledgeError::Read { path: dir.to_owned(), source };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read_dir)? {
        let path = entry.map_err(read_dir)?.path();
        if path.is_file() && path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("md")) {
            paths.push(path);
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .map_err(|source| KnowledgeError::Read { path: path.clone(), source })?;
            let source = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
            let title = text
                .lines()
                .find_map(|line| line.strip_prefix("# "))
                .map(|title| title.trim().to_owned())
                .unwrap_or_else(|| source.trim_end_matches(".md").replace(['-', '_'], " "));
            Ok(Document { source, title, text })
        })
        .collect()
}

/// `clinic.yaml` as six documents, one `##` section per service, professional or package, so
/// each becomes its own chunk.
pub fn clinic_facts(clinic: &Clinic) -> Vec<Document> {
    let name = facts::short_name(clinic);
    let document = |anchor: &str, title: String, text: String| Document {
        source: format!("clinic.yaml#{anchor}"),
        text: format!("# {title}\n\n{text}"),
        title,
    };
    vec![
        document("servicos", format!("Procedimentos e valores — {name}"), services(clinic)),
        document("profissionais", format!("Profissionais — {name}"), professionals(clinic)),
        document("horarios", format!("Horário de atendimento e agendamento — {name}"), hours(clinic)),
        document("pacotes", format!("Pacotes — {name}"), packages(clinic)),
        document("politicas", format!("Pagamento, cancelamento e regras — {name}"), policies(clinic)),
        document("contato", format!("Endereço e contato — {name}"), contact(clinic)),
    ]
}

fn services(clinic: &Clinic) -> String {
    let mut text = String::new();
    for service in &clinic.services {
        let _ = writeln!(text, "## {}\n", service.name);
        if let Some(price) = facts::service_price(clinic, service.id) {
            let _ = writeln!(text, "{price}");
        }
        if !service.aliases.is_empty() {
            let _ = writeln!(text, "Também chamado de: {}.", service.aliases.join(", "));
        }
        let _ = writeln!(text, "{}", service.description);
        if let Some(care) = &service.aftercare {
            let _ = writeln!(text, "Cuidados depois: {care}");
        }
        let who: Vec<&str> = clinic.professionals_for(service.id).map(|p| p.name.as_str()).collect();
        if !who.is_empty() {
            let _ = writeln!(text, "Quem faz: {}.", who.join(", "));
        }
        text.push('\n');
    }
    text
}

fn professionals(clinic: &Clinic) -> String {
    let mut text = String::new();
    for professional in &clinic.professionals {
        let services: Vec<&str> = professional
            .service_ids
            .iter()
            .filter_map(|id| clinic.service(*id))
            .map(|service| service.name.as_str())
            .collect();
        let days: Vec<&str> = sofia_core::clinic::WEEK
            .iter()
            .filter(|day| !professional.hours.on(**day).is_empty())
            .map(|day| weekday_name(*day))
            .collect();
        let _ = writeln!(
            text,
            "## {}\n\n{} ({}). Atende: {}. Procedimentos: {}.\n",
            professional.name,
            professional.name,
            professional.role,
            days.join(", "),
            services.join(", ")
        );
    }
    text
}

fn hours(clinic: &Clinic) -> String {
    let rules = &clinic.booking;
    format!(
        "## Horário de atendimento\n\n{}\n\n## Como agendar\n\nOs horários começam a cada {} minutos. \
         Dá para agendar a partir de {} horas de antecedência e até {} dias à frente, aqui mesmo pelo \
         WhatsApp.\n",
        facts::opening_hours(clinic),
        rules.grid_minutes,
        rules.min_notice_minutes / 60,
        rules.horizon_days
    )
}

fn packages(clinic: &Clinic) -> String {
    let mut text = String::new();
    for package in &clinic.packages {
        let regular =
            package.regular_price.map(|regular| format!(" (preço normal {regular})")).unwrap_or_default();
        let _ = writeln!(
            text,
            "## {}\n\n{} sessões por {}{regular}. Válido por {} dias a partir da compra.\n",
            package.name, package.sessions, package.price, package.valid_days
        );
    }
    text
}

fn policies(clinic: &Clinic) -> String {
    format!(
        "## Formas de pagamento\n\n{}\n\n## Cancelamento e remarcação\n\n{}\n\n## Chegada e documentos\n\n{}\n\n\
         ## Estacionamento\n\n{}\n\n## Menores de idade\n\n{}\n",
        facts::payment(clinic),
        facts::cancellation_policy(clinic),
        facts::arrival(clinic),
        facts::parking(clinic),
        facts::minors(clinic)
    )
}

fn contact(clinic: &Clinic) -> String {
    format!("## Endereço e telefone\n\n{} {}\n", clinic.name, facts::location(clinic))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clinics;
    use sofia_core::domain::TenantId;

    #[test]
    fn the_demo_clinic_has_its_markdown_files_and_six_fact_documents() {
        let knowledge = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
        let demo = clinics::load_clinic(&knowledge, &TenantId::parse("demo").unwrap()).unwrap();
        let documents = load(&demo.clinic, &knowledge.join("demo")).unwrap();
        let sources: Vec<&str> = documents.iter().map(|d| d.source.as_str()).collect();
        assert!(sources.contains(&"politicas.md"), "{sources:?}");
        assert!(sources.ends_with(&[
            "clinic.yaml#servicos",
            "clinic.yaml#profissionais",
            "clinic.yaml#horarios",
            "clinic.yaml#pacotes",
            "clinic.yaml#politicas",
            "clinic.yaml#contato",
        ]));
        let services = documents.iter().find(|d| d.source == "clinic.yaml#servicos").unwrap();
        assert!(services.text.contains("## Botox"));
        assert!(services.text.contains("R$ 800,00"));
        assert!(services.text.contains("Não se deite por 4 horas"));
    }
}
