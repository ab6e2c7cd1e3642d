// Choosing an answer template fills an empty answer with its text, for the staff to
// edit before saving. Without JavaScript the server does the same on saving.
document.addEventListener("change", (event) => {
    const select = event.target.closest("select[data-answer-templates]");
    if (!select || !select.value) {
        return;
    }
    const texts = JSON.parse(select.dataset.answerTemplates);
    const answer = document.getElementById("id_answer");
    if (answer && !answer.value.trim() && texts[select.value]) {
        answer.value = texts[select.value];
        answer.dispatchEvent(new Event("input", { bubbles: true }));
    }
});
