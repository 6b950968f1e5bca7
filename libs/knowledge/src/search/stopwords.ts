/**
 * Function words of the project's languages (English, Norwegian, Swedish, Polish, Indonesian,
 * Vietnamese). The 'simple' text search configuration keeps every word, and a suggestion query ORs
 * the words of a customer's message: without this list "the", "jeg" or "và" would match (and rank)
 * nearly every entry. One list for all languages, because language detection is unreliable on a
 * short message and a function word of one language is rarely the point of a message in another.
 */
const WORDS = `
a about after again all also am an and any are as at be because been but by can could did do does
doing don for from get got had has have having he her here him his how i if in into is it its just
me more my no not now of on or our out please so some than that the their them then there these
they this to too up us very was we were what when where which while who why will with would you your
hi hello hey thanks thank ok okay yes

jeg du han hun vi dere de det den er var har hadde og i på til for med av som at ikke en et ei
meg deg oss seg min mitt mine din ditt dine hva hvor hvorfor når kan skal vil må så om fra eller
men også bare her der dette denne disse hei takk

jag du han hon vi ni de det den är var har hade och i på till för med av som att inte en ett mig
dig oss sig min mitt mina din ditt dina vad var varför när kan ska vill måste så om från eller men
också bara här där detta denna dessa hej tack

i w z na do nie się jest to że a o jak ale co czy ja ty on ona my wy oni mnie mi mój moja moje
twój ten ta te tego tej od po przez dla tak już jeszcze być był była było są jestem mam ma
dzień dobry cześć dziękuję proszę

saya aku kamu anda dia kami kita mereka ini itu yang dan di ke dari untuk dengan tidak tak ada
apa bagaimana kapan mana sudah belum akan bisa juga atau tapi tetapi karena pada adalah ya halo
hai terima kasih tolong mohon

tôi bạn anh chị em và là của có không được các những một này đó thì mà cho với ở trong khi đã
đang sẽ rất cũng nhưng hay hoặc vì nên để tại từ ra vào lên xin chào cảm ơn ạ nhé nhỉ gì sao
`;

export const STOPWORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/u).filter(Boolean));
