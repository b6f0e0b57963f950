/**
 * A small embedded list of common given names (about 380), drawn from frequent names in the US
 * (SSA), UK (ONS), Western/Southern Europe, Latin America, the Arab world, South and East Asia.
 * It is evidence, not a dictionary: a value whose first word is here is much likelier to be a
 * person's name than a product or place. Many entries are also ordinary words or places
 * ("Grace", "Jordan", "Florence", "Victoria"), so a listed match alone never decides a column.
 */
const NAMES = `
mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy sandra ashley
emily donna michelle amanda melissa laura olivia emma sofia sophia chloe grace hannah maria ana
anna fatima aisha isabella mia charlotte amelia harper evelyn abigail ella avery scarlett madison
lily victoria aria natalie zoe zoey nora leah julia julie rachel rebecca kimberly deborah stephanie
carol ruth sharon cynthia kathleen amy angela helen brenda pamela nicole samantha katherine
catherine christine debra janet emma alice lucy ellie isla freya poppy ruby daisy florence
jade megan lauren holly rose claire louise marie sophie camille lea manon ines lucia paula
martina giulia francesca chiara sara valentina elena carmen rosa lara nina eva clara hanna
lena leonie mila ingrid astrid sigrid elin maja wiktoria zuzanna agnieszka katarzyna olga irina
tatiana natalia svetlana priya ananya aditi pooja neha divya sunita anita kavya meera yuki
sakura hana mei ling xin yan jing hui min ji seo yeon fatma zeynep ayse mariam maryam noor
layla leila yasmin amina khadija zainab salma hala
james robert john michael david william richard joseph thomas charles daniel matthew anthony
mark steven paul andrew joshua kevin brian liam noah lucas ethan omar ali carlos diego wei hiroshi
george edward henry oliver jack harry jacob charlie oscar alfie leo archie freddie arthur theo
samuel benjamin alexander sebastian elijah logan mason jackson aiden gabriel owen luke isaac
nathan ryan adam peter simon martin stephen christopher jason jeffrey gary timothy jose larry
eric scott frank raymond gregory patrick dennis jerry tyler aaron walter kyle harold carl
keith roger gerald christian terry sean austin zachary jesse dylan bryan bruce ralph roy
eugene louis philip bobby johnny juan luis miguel javier antonio manuel francisco pedro pablo
alejandro fernando rafael marco luca giuseppe giovanni matteo alessandro lorenzo andrea
pierre jean louis hugo jules louis nicolas antoine julien thibault maxime mathieu hans
klaus jurgen stefan lukas felix jonas maximilian paul leon finn elias karl lars erik nils
sven anders johan piotr krzysztof tomasz pawel ivan dmitri sergei alexei vladimir nikolai
rahul amit arjun rohan vikram sanjay raj ravi anil suresh kenji takashi haruto ren jun hao
chen ming jian jie wei min-jun ji-ho seo-jun ahmed mohammed muhammad mohamed mustafa hassan
hussein ibrahim youssef yusuf khalid tariq karim mehmet ahmet emre burak
alex jordan taylor morgan casey riley jamie robin sam charlie avery quinn rowan sasha
`;

const SET: ReadonlySet<string> = new Set(NAMES.split(/\s+/).filter((n) => n.length > 0));

/** True when `word` (any case, accents ignored) is in the embedded list of common first names. */
export function isCommonFirstName(word: string): boolean {
  const key = word
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  return SET.has(key);
}

/** How many distinct names the embedded list holds (for the UI's explanation). */
export const FIRST_NAME_COUNT = SET.size;
